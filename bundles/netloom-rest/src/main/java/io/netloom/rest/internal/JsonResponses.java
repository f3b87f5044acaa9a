package io.netloom.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletResponse;

import io.netloom.api.codec.JsonCodec;

/**
 * Writes bodies with Netloom's one JSON codec.
 */
final class JsonResponses {

    private JsonResponses() {
    }

    static void write(HttpServletResponse response, ApiResponse answer) throws IOException {
        response.setStatus(answer.status());
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (answer.location() != null) {
            response.setHeader("Location", answer.location());
        }
        answer.headers().forEach(response::setHeader);
        if (answer.body() == null) {
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // Encoded whole, then written at once: the servlet writer costs a lock, a logger check and a buffer copy per
        // token, which made a list of 1,000 ports cost several times its encoding.
        byte[] json = JsonCodec.gson().toJson(answer.body()).getBytes(StandardCharsets.UTF_8);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
