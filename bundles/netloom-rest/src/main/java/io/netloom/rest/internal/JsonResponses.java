package io.netloom.rest.internal;

import java.io.IOException;
import java.io.Writer;

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
        if (answer.body() == null) {
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        Writer out = response.getWriter();
        JsonCodec.gson().toJson(answer.body(), out);
        out.flush();
    }
}
