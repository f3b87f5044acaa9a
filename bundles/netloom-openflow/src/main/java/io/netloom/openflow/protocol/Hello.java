package io.netloom.openflow.protocol;

/**
 * {@code OFPT_HELLO}, optionally with a version-bitmap element.
 *
 * @param versionBitmap bit {@code n} set when version {@code n} is supported; 0 when the hello had no bitmap
 */
public record Hello(int versionBitmap) implements OpenFlowMessage {
    /** Message type. */
    public static final int TYPE = 0;

    /** @return the hello this library sends: OpenFlow 1.3 only */
    public static Hello openFlow13() {
        return new Hello(1 << OpenFlowCodec.VERSION);
    }

    /**
     * @param version a wire version number, e.g. 4
     * @return whether the bitmap lists that version
     */
    public boolean supports(int version) {
        return version < 32 && (versionBitmap & (1 << version)) != 0;
    }

    @Override
    public int type() {
        return TYPE;
    }
}
