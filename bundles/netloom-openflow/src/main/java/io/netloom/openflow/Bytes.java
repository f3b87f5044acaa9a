package io.netloom.openflow;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable run of bytes held by a message, instruction or action that carries raw data (echo payloads, error
 * data, what this library does not model): compared by content, copied in and out, so no holder can be changed
 * behind its back.
 */
public final class Bytes {

    /** No bytes. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * @param bytes the bytes, copied
     * @return them
     */
    public static Bytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /**
     * @return a copy of the bytes
     */
    public byte[] toArray() {
        return bytes.clone();
    }

    /**
     * @return how many bytes
     */
    public int length() {
        return bytes.length;
    }

    /**
     * Puts the bytes at the buffer's position, advancing it.
     *
     * @param out the buffer
     */
    public void writeTo(ByteBuffer out) {
        out.put(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** @return the bytes in hexadecimal */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
