package io.netloom.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: an HTTP status, a body to encode as JSON ({@code null} for none), for a creation the
 * location of the new resource, and further headers (such as {@code Netloom-Revision}).
 */
record ApiResponse(int status, Object body, String location, Map<String, String> headers) {

    ApiResponse {
        headers = Map.copyOf(headers);
    }

    ApiResponse(int status, Object body, String location) {
        this(status, body, location, Map.of());
    }

    ApiResponse(int status, Object body) {
        this(status, body, null);
    }

    static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    static ApiResponse created(String location, Object body) {
        return new ApiResponse(201, body, location);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }

    static ApiResponse error(int status, String code, String message) {
        return new ApiResponse(status, ApiError.of(code, message));
    }

    /**
     * @return this answer with another status and body, its location and headers kept
     */
    ApiResponse with(int newStatus, Object newBody) {
        return new ApiResponse(newStatus, newBody, location, headers);
    }

    /**
     * @return this answer with one more header (replacing one of that name)
     */
    ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, body, location, more);
    }
}
