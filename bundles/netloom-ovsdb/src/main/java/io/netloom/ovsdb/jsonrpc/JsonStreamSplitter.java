package io.netloom.ovsdb.jsonrpc;

import io.netloom.ovsdb.OvsdbConnectionException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a byte stream of concatenated JSON texts, as ovsdb-server writes them (no delimiter, no newline guarantee),
 * into one string per text. It tracks the nesting depth of objects and arrays outside strings, and inside strings
 * honours backslash escapes, so braces in string values and escaped quotes are not mistaken for structure. Scanning
 * bytes is safe for UTF-8: the bytes of multi-byte characters are never ASCII. Not thread-safe: one per reader.
 */
final class JsonStreamSplitter {
    private final int maxTextBytes;
    private byte[] buffer;
    private int length;
    private int depth;
    private boolean inString;
    private boolean escaped;

    JsonStreamSplitter(int maxTextBytes) {
        this.maxTextBytes = maxTextBytes;
        this.buffer = new byte[Math.min(8192, maxTextBytes)];
    }

    /**
     * Consumes bytes read from the stream.
     *
     * @param data   the bytes
     * @param offset the first byte to use
     * @param count  how many bytes to use
     * @return the JSON texts completed by these bytes, in stream order; a text cut by the end of the bytes is kept
     *         for the next call
     * @throws OvsdbConnectionException when a text starts with something else than an object or array, or exceeds
     *                                  the size limit
     */
    List<String> feed(byte[] data, int offset, int count) {
        List<String> texts = new ArrayList<>();
        for (int i = offset; i < offset + count; i++) {
            byte b = data[i];
            if (depth == 0) {
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                    continue;
                }
                if (b != '{' && b != '[') {
                    throw new OvsdbConnectionException("malformed JSON-RPC stream: unexpected byte 0x"
                            + Integer.toHexString(b & 0xff) + " between messages");
                }
            }
            append(b);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
                if (depth == 0) {
                    texts.add(new String(buffer, 0, length, StandardCharsets.UTF_8));
                    length = 0;
                }
            }
        }
        return texts;
    }

    /**
     * Tells whether a text has started and is not complete yet.
     *
     * @return true in the middle of a text
     */
    boolean hasPartialText() {
        return length > 0;
    }

    private void append(byte b) {
        if (length >= maxTextBytes) {
            throw new OvsdbConnectionException("malformed JSON-RPC stream: message larger than "
                    + maxTextBytes + " bytes");
        }
        if (length == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(maxTextBytes, length * 2));
        }
        buffer[length++] = b;
    }
}
