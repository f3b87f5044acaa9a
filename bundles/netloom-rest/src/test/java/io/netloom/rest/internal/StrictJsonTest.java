package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

import com.google.gson.JsonElement;

/**
 * {@link StrictJson}: only standard JSON, UTF-8, bounded in size and depth; every refusal is a 4xx with its code.
 */
public class StrictJsonTest {

    static ApiError refusal(int status, Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        ApiResponse response = e.toResponse();
        assertEquals(e.getMessage(), status, response.status());
        return (ApiError) response.body();
    }

    private static JsonElement read(String contentType, byte[] body) {
        try {
            return StrictJson.read(contentType, body.length, new ByteArrayInputStream(body));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    public void standardJsonIsRead() {
        JsonElement e = read("application/json; charset=UTF-8", "{\"a\":[1,2.5,\"x\",null,true]}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(5, e.getAsJsonObject().getAsJsonArray("a").size());
        assertEquals("caf\u00e9", StrictJson.parse("\"caf\u00e9\"").getAsString());
    }

    @Test
    public void everyLenientFormIsRefusedAsInvalidJson() {
        for (String text : new String[] {"{a:1}", "{'a':1}", "{\"a\":NaN}", "{\"a\":1} x", "{\"a\":1,}", "[1,]",
            "// c\n{}", "{\"a\":1}{}", "", "  ", "{\"a\"}", "01"}) {
            ApiError error = refusal(400, () -> StrictJson.parse(text));
            assertEquals(text, "INVALID_JSON", error.code());
        }
    }

    @Test
    public void aDuplicateKeyIsRefusedAndNamed() {
        ApiError error = refusal(400, () -> StrictJson.parse("{\"name\":\"a\",\"name\":\"b\"}"));
        assertEquals("INVALID_JSON", error.code());
        assertEquals("name", error.field());
    }

    @Test
    public void nestingIsBounded() {
        String deep = "[".repeat(StrictJson.MAX_DEPTH + 2) + "]".repeat(StrictJson.MAX_DEPTH + 2);
        assertEquals("INVALID_JSON", refusal(400, () -> StrictJson.parse(deep)).code());
        String fine = "[".repeat(StrictJson.MAX_DEPTH) + "]".repeat(StrictJson.MAX_DEPTH);
        assertTrue(StrictJson.parse(fine).isJsonArray());
    }

    @Test
    public void theMediaTypeCharsetAndSizeAreChecked() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        assertEquals("UNSUPPORTED_MEDIA_TYPE", refusal(415, () -> read("text/plain", body)).code());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", refusal(415, () -> read(null, body)).code());
        assertEquals("UNSUPPORTED_MEDIA_TYPE", refusal(415, () -> read("application/json; charset=latin1", body))
                .code());
        byte[] big = new byte[StrictJson.MAX_BYTES + 1];
        assertEquals("BODY_TOO_LARGE", refusal(413, () -> read("application/json", big)).code());
        // a body longer than it declared is cut off at the limit too
        assertEquals("BODY_TOO_LARGE", refusal(413, () -> {
            try {
                StrictJson.read("application/json", 2, new ByteArrayInputStream(big));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).code());
        byte[] latin1 = {'"', (byte) 0xe9, '"'};
        assertEquals("INVALID_JSON", refusal(400, () -> read("application/json", latin1)).code());
    }
}
