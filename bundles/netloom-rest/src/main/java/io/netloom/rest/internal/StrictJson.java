package io.netloom.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/**
 * Reads request bodies as standard JSON only: UTF-8, at most {@value #MAX_BYTES} bytes, no comments, NaN,
 * unquoted names or trailing data, no duplicate keys, at most {@value #MAX_DEPTH} levels of nesting.
 */
final class StrictJson {

    static final int MAX_BYTES = 1 << 20;
    static final int MAX_DEPTH = 32;
    /** JSON, and a JSON merge patch (RFC 7396), which is read the same way. */
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/merge-patch+json");
    private static final Pattern POSITION = Pattern.compile("line [0-9]+ column [0-9]+");

    private StrictJson() {
    }

    /**
     * Checks the media type and reads the body.
     *
     * @throws ApiException 415 for a body that is not declared JSON, 413 when too large, 400 when malformed
     */
    static JsonElement read(String contentType, long contentLength, InputStream in) throws IOException {
        if (contentType == null || !JSON_TYPES.contains(contentType.toLowerCase(Locale.ROOT).split(";")[0].trim())) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "The body must be JSON (Content-Type: "
                    + "application/json, or application/merge-patch+json for a PATCH)", null);
        }
        if (contentType.toLowerCase(Locale.ROOT).contains("charset")
                && !contentType.toLowerCase(Locale.ROOT).replace(" ", "").contains("charset=utf-8")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "JSON bodies are UTF-8", null);
        }
        if (contentLength > MAX_BYTES) {
            throw tooLarge();
        }
        return parse(decode(readLimited(in)));
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "BODY_TOO_LARGE", "The body is larger than " + MAX_BYTES + " bytes", null);
    }

    /**
     * Reads a whole body of at most {@link #MAX_BYTES}, at {@link #MIN_BYTES_PER_SECOND} at least once
     * {@link #RATE_GRACE} has passed.
     *
     * @throws ApiException 413 when it is larger; 408 {@code REQUEST_TIMEOUT} when it comes slower (or the servlet
     *     container refuses it as too slow); 400 {@code INVALID_BODY} when it cannot be read: a client's failure,
     *     never a 500
     */
    static byte[] readLimited(InputStream in) {
        return readLimited(in, System::nanoTime);
    }

    /**
     * The slowest a body may come, in bytes per second, counted from when the API starts reading it. (Jetty's own
     * minimum data rate counts from the first byte's arrival, which refuses a small body read after a slow first
     * login; so the API counts itself.)
     */
    static final long MIN_BYTES_PER_SECOND = 1024;
    /** How long a body may take before its rate counts: a small body is read whole long before. */
    static final Duration RATE_GRACE = Duration.ofSeconds(2);

    static byte[] readLimited(InputStream in, LongSupplier nanoClock) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        long start = nanoClock.getAsLong();
        try {
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > MAX_BYTES) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
                long elapsed = nanoClock.getAsLong() - start;
                if (elapsed > RATE_GRACE.toNanos()
                        && out.size() < MIN_BYTES_PER_SECOND * TimeUnit.NANOSECONDS.toMillis(elapsed) / 1000) {
                    throw tooSlow();
                }
            }
        } catch (ApiException e) {
            throw e;
        } catch (IOException e) {
            throw new ApiException(400, "INVALID_BODY", "The body could not be read: it ended early or the "
                    + "connection failed", null);
        } catch (RuntimeException e) {
            // The container refuses a body it will not wait for (Jetty: BadMessageException, 408 when it comes
            // slower than the minimum data rate) by throwing from read.
            throw containerStatus(e) == 408 ? tooSlow()
                    : new ApiException(400, "INVALID_BODY", "The body could not be read", null);
        }
        return out.toByteArray();
    }

    private static ApiException tooSlow() {
        return new ApiException(408, "REQUEST_TIMEOUT", "The body came slower than " + MIN_BYTES_PER_SECOND
                + " bytes per second; send it at once", null);
    }

    /** The HTTP status a servlet container's exception carries ({@code getCode()}), 400 when it carries none. */
    private static int containerStatus(RuntimeException e) {
        try {
            Object code = e.getClass().getMethod("getCode").invoke(e);
            return code instanceof Integer status && status >= 400 && status < 500 ? status : 400;
        } catch (ReflectiveOperationException notJettys) {
            return 400;
        }
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("INVALID_JSON", "The body is not valid UTF-8", null);
        }
    }

    /**
     * @param text a JSON document
     * @return its tree
     * @throws ApiException 400 {@code INVALID_JSON} with the position of the first problem
     */
    static JsonElement parse(String text) {
        if (text.isBlank()) {
            throw ApiException.badRequest("INVALID_JSON", "A JSON body is required", null);
        }
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        try {
            JsonElement root = element(reader, 0);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw ApiException.badRequest("INVALID_JSON", "Unexpected data after the JSON document at "
                        + reader.getPath(), null);
            }
            return root;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            throw ApiException.badRequest("INVALID_JSON", "Malformed JSON" + where(e.getMessage())
                    + ": only standard JSON is accepted (no comments, NaN, single quotes or trailing data)", null);
        }
    }

    private static String where(String message) {
        Matcher m = message == null ? null : POSITION.matcher(message);
        return m != null && m.find() ? " at " + m.group() : "";
    }

    private static JsonElement element(JsonReader reader, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw ApiException.badRequest("INVALID_JSON", "JSON nested deeper than " + MAX_DEPTH + " levels", null);
        }
        switch (reader.peek()) {
            case BEGIN_OBJECT -> {
                JsonObject object = new JsonObject();
                Set<String> names = new HashSet<>();
                reader.beginObject();
                while (reader.hasNext()) {
                    String name = reader.nextName();
                    if (!names.add(name)) {
                        throw ApiException.badRequest("INVALID_JSON", "Duplicate key '" + name + "'", name);
                    }
                    object.add(name, element(reader, depth + 1));
                }
                reader.endObject();
                return object;
            }
            case BEGIN_ARRAY -> {
                JsonArray array = new JsonArray();
                reader.beginArray();
                while (reader.hasNext()) {
                    array.add(element(reader, depth + 1));
                }
                reader.endArray();
                return array;
            }
            case STRING -> {
                return new JsonPrimitive(reader.nextString());
            }
            case NUMBER -> {
                return new JsonPrimitive(new BigDecimal(reader.nextString()));
            }
            case BOOLEAN -> {
                return new JsonPrimitive(reader.nextBoolean());
            }
            case NULL -> {
                reader.nextNull();
                return JsonNull.INSTANCE;
            }
            default -> throw ApiException.badRequest("INVALID_JSON", "Unexpected " + reader.peek() + " at "
                    + reader.getPath(), null);
        }
    }
}
