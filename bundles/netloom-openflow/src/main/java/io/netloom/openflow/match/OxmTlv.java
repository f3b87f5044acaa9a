package io.netloom.openflow.match;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One OXM type-length-value entry: a match field with its value and optional mask, or the field a SET_FIELD action
 * writes.
 *
 * <p>Entries of fields this library does not know by name keep their raw class and field numbers; for the
 * experimenter class the value includes the leading 32-bit experimenter id.
 *
 * @param oxmClass the 16-bit OXM class
 * @param field the 7-bit field number
 * @param hasMask whether a mask follows the value
 * @param value the value, big-endian
 * @param mask the mask (same length as the value) when {@code hasMask}, otherwise an empty array
 */
public record OxmTlv(int oxmClass, int field, boolean hasMask, byte[] value, byte[] mask) {

    private static final HexFormat HEX = HexFormat.of();

    /**
     * Validates and copies the arrays.
     *
     * @throws IllegalArgumentException when the class or field is out of range, the mask length differs from the
     *     value length, or the TLV would be longer than 255 bytes
     */
    public OxmTlv {
        if (oxmClass < 0 || oxmClass > 0xffff) {
            throw new IllegalArgumentException("OXM class must be 16 bit: " + oxmClass);
        }
        if (field < 0 || field > 0x7f) {
            throw new IllegalArgumentException("OXM field must be 7 bit: " + field);
        }
        value = value.clone();
        mask = hasMask ? mask.clone() : new byte[0];
        if (hasMask && mask.length != value.length) {
            throw new IllegalArgumentException("mask length " + mask.length + " differs from value length "
                    + value.length);
        }
        if (value.length + mask.length > 0xff) {
            throw new IllegalArgumentException("OXM payload longer than 255 bytes");
        }
    }

    /**
     * An exact-match entry for a known field.
     *
     * @param field the field
     * @param value the value, exactly {@link OxmField#length()} bytes
     * @return the entry
     */
    public static OxmTlv exact(OxmField field, byte[] value) {
        checkLength(field, value, "value");
        return new OxmTlv(field.oxmClass(), field.field(), false, value, null);
    }

    /**
     * A masked entry for a known, maskable field. An all-ones mask yields an exact entry, as OpenFlow requires.
     *
     * @param field the field
     * @param value the value
     * @param mask the mask, same length; bits set in the value must be set in the mask
     * @return the entry
     */
    public static OxmTlv masked(OxmField field, byte[] value, byte[] mask) {
        checkLength(field, value, "value");
        checkLength(field, mask, "mask");
        boolean allOnes = true;
        for (int i = 0; i < mask.length; i++) {
            if ((value[i] & ~mask[i]) != 0) {
                throw new IllegalArgumentException(field.fieldName() + ": value has bits outside the mask");
            }
            allOnes &= mask[i] == (byte) 0xff;
        }
        if (allOnes) {
            return exact(field, value);
        }
        if (!field.maskable()) {
            throw new IllegalArgumentException(field.fieldName() + " cannot be masked");
        }
        return new OxmTlv(field.oxmClass(), field.field(), true, value, mask);
    }

    /**
     * An exact-match entry from an unsigned integer.
     *
     * @param field a field of at most 8 bytes
     * @param value the value; must fit the field's width
     * @return the entry
     */
    public static OxmTlv of(OxmField field, long value) {
        return exact(field, toBytes(field, value, "value"));
    }

    /**
     * A masked entry from unsigned integers.
     *
     * @param field a maskable field of at most 8 bytes
     * @param value the value
     * @param mask the mask
     * @return the entry
     */
    public static OxmTlv of(OxmField field, long value, long mask) {
        return masked(field, toBytes(field, value, "value"), toBytes(field, mask, "mask"));
    }

    /**
     * Parses a textual value as Open vSwitch writes it: {@code 10.0.0.0/24}, {@code 10.0.0.1/255.255.0.0},
     * {@code aa:bb:cc:dd:ee:ff}, {@code 01:00:00:00:00:00/01:00:00:00:00:00}, {@code fd00::/64}, {@code 80},
     * {@code 0x10/0xf0}.
     *
     * @param field the field
     * @param text value, optionally followed by {@code /mask} or {@code /prefix-length}
     * @return the entry
     * @throws IllegalArgumentException when the text does not parse for the field's format
     */
    public static OxmTlv parse(OxmField field, String text) {
        int slash = text.indexOf('/');
        String v = slash < 0 ? text.trim() : text.substring(0, slash).trim();
        byte[] value = parseValue(field, v);
        if (slash < 0) {
            return exact(field, value);
        }
        String m = text.substring(slash + 1).trim();
        byte[] mask;
        if ((field.format() == OxmField.Format.IPV4 || field.format() == OxmField.Format.IPV6)
                && m.chars().allMatch(Character::isDigit)) {
            mask = prefixMask(field.length(), Integer.parseInt(m), field);
        } else {
            mask = parseValue(field, m);
        }
        for (int i = 0; i < value.length; i++) {
            value[i] &= mask[i];
        }
        return masked(field, value, mask);
    }

    /** @return the field this entry is for, when the library knows it by name */
    public Optional<OxmField> knownField() {
        return OxmField.of(oxmClass, field);
    }

    /** @return the 32-bit OXM header: class, field, has-mask bit, payload length */
    public int header() {
        return (oxmClass << 16) | (field << 9) | (hasMask ? 0x100 : 0) | (value.length + mask.length);
    }

    /** @return the encoded length: 4-byte header plus value and mask */
    public int encodedLength() {
        return 4 + value.length + mask.length;
    }

    /** @return a copy of the value */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** @return a copy of the mask (empty when there is none) */
    @Override
    public byte[] mask() {
        return mask.clone();
    }

    /** @return the value as an unsigned integer (values longer than 8 bytes keep their low 8 bytes) */
    public long longValue() {
        return toLong(value);
    }

    /** @return the mask as an unsigned integer, or all ones when there is no mask */
    public long longMask() {
        return hasMask ? toLong(mask) : -1L;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OxmTlv t && t.oxmClass == oxmClass && t.field == field && t.hasMask == hasMask
                && Arrays.equals(t.value, value) && Arrays.equals(t.mask, mask);
    }

    @Override
    public int hashCode() {
        return ((oxmClass * 31 + field) * 31 + Arrays.hashCode(value)) * 31 + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        Optional<OxmField> known = knownField();
        String name = known.map(OxmField::fieldName)
                .orElse(String.format("oxm(0x%04x,%d)", oxmClass, field));
        String text = known.isPresent() ? format(known.get(), value) : "0x" + HEX.formatHex(value);
        if (hasMask) {
            text += "/" + (known.isPresent() ? format(known.get(), mask) : "0x" + HEX.formatHex(mask));
        }
        return name + "=" + text;
    }

    static String format(OxmField field, byte[] bytes) {
        switch (field.format()) {
            case MAC: {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < bytes.length; i++) {
                    if (i > 0) {
                        sb.append(':');
                    }
                    sb.append(HEX.toHexDigits(bytes[i]));
                }
                return sb.toString();
            }
            case IPV4:
            case IPV6:
                try {
                    return InetAddress.getByAddress(bytes).getHostAddress();
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("address of invalid length " + bytes.length, e);
                }
            default:
                return bytes.length <= 4 ? Long.toString(toLong(bytes)) : "0x" + Long.toHexString(toLong(bytes));
        }
    }

    private static long toLong(byte[] bytes) {
        long v = 0;
        for (int i = Math.max(0, bytes.length - 8); i < bytes.length; i++) {
            v = (v << 8) | (bytes[i] & 0xff);
        }
        return v;
    }

    private static void checkLength(OxmField field, byte[] bytes, String what) {
        if (bytes.length != field.length()) {
            throw new IllegalArgumentException(field.fieldName() + " " + what + " must be " + field.length()
                    + " bytes, not " + bytes.length);
        }
    }

    private static byte[] toBytes(OxmField field, long value, String what) {
        int len = field.length();
        if (len > 8) {
            throw new IllegalArgumentException(field.fieldName() + " is " + len + " bytes; pass a byte array");
        }
        if (len < 8 && (value >>> (len * 8)) != 0) {
            throw new IllegalArgumentException(field.fieldName() + " " + what + " 0x" + Long.toHexString(value)
                    + " does not fit in " + len * 8 + " bits");
        }
        byte[] b = new byte[len];
        for (int i = len - 1; i >= 0; i--) {
            b[i] = (byte) value;
            value >>>= 8;
        }
        return b;
    }

    private static byte[] parseValue(OxmField field, String text) {
        switch (field.format()) {
            case MAC: {
                String[] parts = text.split(":");
                if (parts.length != 6) {
                    throw new IllegalArgumentException(field.fieldName() + ": not an Ethernet address: " + text);
                }
                byte[] b = new byte[6];
                for (int i = 0; i < 6; i++) {
                    b[i] = (byte) Integer.parseInt(parts[i], 16);
                }
                return b;
            }
            case IPV4:
            case IPV6:
                return parseAddress(field, text);
            default:
                try {
                    long v = text.startsWith("0x") || text.startsWith("0X")
                            ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseUnsignedLong(text);
                    return toBytes(field, v, "value");
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(field.fieldName() + ": not a number: " + text, e);
                }
        }
    }

    private static byte[] parseAddress(OxmField field, String text) {
        boolean v4 = field.format() == OxmField.Format.IPV4;
        boolean literal = v4 ? text.matches("\\d{1,3}(\\.\\d{1,3}){3}") : text.contains(":")
                && text.matches("[0-9a-fA-F:.]+");
        if (!literal) {
            // Without this check InetAddress would try a DNS lookup for a host name.
            throw new IllegalArgumentException(field.fieldName() + ": not an address literal: " + text);
        }
        try {
            byte[] b = InetAddress.getByName(text).getAddress();
            if (b.length != field.length()) {
                throw new IllegalArgumentException(field.fieldName() + ": wrong address family: " + text);
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(field.fieldName() + ": not an address: " + text, e);
        }
    }

    private static byte[] prefixMask(int len, int prefix, OxmField field) {
        if (prefix < 0 || prefix > len * 8) {
            throw new IllegalArgumentException(field.fieldName() + ": prefix length " + prefix + " out of range");
        }
        byte[] m = new byte[len];
        for (int i = 0; i < prefix; i++) {
            m[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        return m;
    }
}
