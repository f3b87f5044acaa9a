package io.netloom.rest.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;

import com.google.gson.JsonElement;

import io.netloom.api.model.Caller;

/**
 * One request as a handler sees it: the caller, the matched path parameters, the query and the strictly parsed
 * body.
 */
final class ApiRequest {

    private final HttpServletRequest http;
    private final Map<String, String> pathParams;
    private final Caller caller;

    ApiRequest(HttpServletRequest http, Map<String, String> pathParams, Caller caller) {
        this.http = http;
        this.pathParams = pathParams;
        this.caller = caller;
    }

    HttpServletRequest http() {
        return http;
    }

    Caller caller() {
        return caller;
    }

    String pathParam(String name) {
        return pathParams.get(name);
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(http.getParameter(name));
    }

    /**
     * @return the body as a JSON tree, after media type, size and syntax checks
     */
    JsonElement body() {
        try {
            return StrictJson.read(http.getContentType(), http.getContentLengthLong(), http.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the request body failed", e);
        }
    }

    /**
     * @return the body as an object whose fields are checked one by one
     */
    Fields fields() {
        return Fields.of(body());
    }
}
