package io.netloom.openflow.protocol;

import java.nio.ByteBuffer;
import java.util.Optional;

import io.netloom.openflow.Bytes;

/**
 * {@code OFPT_ERROR}. For experimenter errors ({@code errorType == 0xffff}) {@code code} is the experimenter's
 * {@code exp_code}; Open vSwitch reports OpenFlow 1.3 bundle failures this way, as ONF experimenter codes 2300 to
 * 2315 ({@code OFPBFC_*}).
 *
 * @param errorType {@code OFPET_*}
 * @param code the type-specific code
 * @param experimenter experimenter id for experimenter errors, otherwise 0
 * @param data at least the first 64 bytes of the failed request (header included), or a text for hello failures
 */
public record ErrorMessage(int errorType, int code, long experimenter, Bytes data) implements OpenFlowMessage {
    /** Message type. */
    public static final int TYPE = 1;
    /** {@code OFPET_HELLO_FAILED}. */
    public static final int HELLO_FAILED = 0;
    /** {@code OFPET_EXPERIMENTER}. */
    public static final int EXPERIMENTER = 0xffff;
    /** The ONF experimenter id, used for OpenFlow 1.3 bundle errors. */
    public static final long ONF_EXPERIMENTER = 0x4F4E4600L;
    /** ONF experimenter code of {@code OFPBFC_MSG_FAILED}: one message of a committed bundle failed. */
    public static final int BUNDLE_MSG_FAILED = 2313;

    private static final String[] TYPES = {"OFPET_HELLO_FAILED", "OFPET_BAD_REQUEST", "OFPET_BAD_ACTION",
        "OFPET_BAD_INSTRUCTION", "OFPET_BAD_MATCH", "OFPET_FLOW_MOD_FAILED", "OFPET_GROUP_MOD_FAILED",
        "OFPET_PORT_MOD_FAILED", "OFPET_TABLE_MOD_FAILED", "OFPET_QUEUE_OP_FAILED", "OFPET_SWITCH_CONFIG_FAILED",
        "OFPET_ROLE_REQUEST_FAILED", "OFPET_METER_MOD_FAILED", "OFPET_TABLE_FEATURES_FAILED"};
    private static final String[][] CODES = {
        {"OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"},
        {"OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART", "OFPBRC_BAD_EXPERIMENTER",
            "OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN",
            "OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT", "OFPBRC_BAD_PACKET",
            "OFPBRC_MULTIPART_BUFFER_OVERFLOW"},
        {"OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER", "OFPBAC_BAD_EXP_TYPE",
            "OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE",
            "OFPBAC_BAD_OUT_GROUP", "OFPBAC_MATCH_INCONSISTENT", "OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG",
            "OFPBAC_BAD_SET_TYPE", "OFPBAC_BAD_SET_LEN", "OFPBAC_BAD_SET_ARGUMENT"},
        {"OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID", "OFPBIC_UNSUP_METADATA",
            "OFPBIC_UNSUP_METADATA_MASK", "OFPBIC_BAD_EXPERIMENTER", "OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN",
            "OFPBIC_EPERM"},
        {"OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG", "OFPBMC_BAD_DL_ADDR_MASK",
            "OFPBMC_BAD_NW_ADDR_MASK", "OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE",
            "OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ", "OFPBMC_DUP_FIELD", "OFPBMC_EPERM"},
        {"OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID", "OFPFMFC_OVERLAP", "OFPFMFC_EPERM",
            "OFPFMFC_BAD_TIMEOUT", "OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS"},
    };
    private static final String[] BUNDLE_CODES = {"OFPBFC_UNKNOWN", "OFPBFC_EPERM", "OFPBFC_BAD_ID",
        "OFPBFC_BUNDLE_EXIST", "OFPBFC_BUNDLE_CLOSED", "OFPBFC_OUT_OF_BUNDLES", "OFPBFC_BAD_TYPE",
        "OFPBFC_BAD_FLAGS", "OFPBFC_MSG_BAD_LEN", "OFPBFC_MSG_BAD_XID", "OFPBFC_MSG_UNSUP", "OFPBFC_MSG_CONFLICT",
        "OFPBFC_MSG_TOO_MANY", "OFPBFC_MSG_FAILED", "OFPBFC_TIMEOUT", "OFPBFC_BUNDLE_IN_PROGRESS"};

    /**
     * @param errorType {@code OFPET_*}
     * @param code the type-specific code
     * @param experimenter experimenter id for experimenter errors, otherwise 0
     * @param data the data, copied
     */
    public ErrorMessage(int errorType, int code, long experimenter, byte[] data) {
        this(errorType, code, experimenter, Bytes.of(data));
    }

    @Override
    public int type() {
        return TYPE;
    }

    /** @return the OpenFlow name of the error type, e.g. {@code OFPET_BAD_MATCH} */
    public String typeName() {
        if (errorType == EXPERIMENTER) {
            return "OFPET_EXPERIMENTER";
        }
        return errorType < TYPES.length ? TYPES[errorType] : "OFPET_" + errorType;
    }

    /** @return the OpenFlow name of the error, e.g. {@code OFPBMC_BAD_PREREQ}, or numbers when unknown */
    public String codeName() {
        if (errorType == EXPERIMENTER) {
            if (experimenter == ONF_EXPERIMENTER && code >= 2300 && code < 2300 + BUNDLE_CODES.length) {
                return BUNDLE_CODES[code - 2300];
            }
            return String.format("experimenter 0x%08x code %d", experimenter, code);
        }
        if (errorType < CODES.length && code < CODES[errorType].length) {
            return CODES[errorType][code];
        }
        return typeName() + " code " + code;
    }

    /** @return the type of the failed request, read from the header echoed in {@code data}, if present */
    public Optional<Integer> failedMessageType() {
        return errorType == HELLO_FAILED || data.length() < 8 ? Optional.empty()
                : Optional.of(data.toArray()[1] & 0xff);
    }

    /** @return the transaction id of the failed request, read from the echoed header, if present */
    public Optional<Integer> failedXid() {
        return errorType == HELLO_FAILED || data.length() < 8 ? Optional.empty()
                : Optional.of(ByteBuffer.wrap(data.toArray(), 4, 4).getInt());
    }

    @Override
    public String toString() {
        return codeName() + " (type " + errorType + ", code " + code + ")";
    }
}
