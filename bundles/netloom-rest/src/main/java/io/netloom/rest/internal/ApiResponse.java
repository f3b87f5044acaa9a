package io.netloom.rest.internal;

/**
 * What a handler answers: an HTTP status, a body to encode as JSON ({@code null} for none) and, for a creation,
 * the location of the new resource.
 */
record ApiResponse(int status, Object body, String location) {

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
}
