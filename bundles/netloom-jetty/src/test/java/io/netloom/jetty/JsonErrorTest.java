package io.netloom.jetty;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class JsonErrorTest {

    @Test
    public void jettysStatusesGetTheApisCodes() {
        assertEquals("URI_TOO_LONG", JsonError.code(414, "URI Too Long"));
        assertEquals("HEADERS_TOO_LARGE", JsonError.code(431, "Request Header Fields Too Large"));
        assertEquals("INVALID_PATH", JsonError.code(400, "Ambiguous URI path segment"));
        assertEquals("BAD_REQUEST", JsonError.code(400, "Unknown Version"));
        assertEquals("BAD_REQUEST", JsonError.code(400, null));
        assertEquals("REQUEST_TIMEOUT", JsonError.code(408, "Request content data rate < 1024 B/s"));
        assertEquals("INTERNAL_ERROR", JsonError.code(502, null));
        assertEquals("HTTP_418", JsonError.code(418, null));
    }

    @Test
    public void theBodyEscapesWhatJettyQuotes() {
        assertEquals("{\"code\":\"BAD_REQUEST\",\"message\":\"The request was refused: a \\\"b\\\" \\\\ \\u0000\\u000a"
                + "\\u00e9\"}", JsonError.body(400, "a \"b\" \\ \u0000\n\u00e9"));
        assertEquals("{\"code\":\"BAD_REQUEST\",\"message\":\"The request was refused with HTTP 400\"}",
                JsonError.body(400, null));
    }

    @Test
    public void apiPathsAreRecognisedAsTheServerRoutesThem() {
        String api = "/netloom/api";
        for (String path : new String[] {"/netloom/api", "/netloom/api/v1/networks", "//netloom/api/v1",
                "/netloom/%61pi/v1", "/netloom;x=1/api/v1", "/netloom/api/v1/..;/x", "/netloom/api/v1/%00"}) {
            assertTrue(path, JsonError.isUnder(path, api));
        }
        for (String path : new String[] {"/netloom/apis", "/netloom", "/system/console", "/", "/netloom/%2fapi"}) {
            assertFalse(path, JsonError.isUnder(path, api));
        }
        assertFalse(JsonError.isUnder(null, api));
    }
}
