package io.netloom.rest.internal;

/**
 * What a handler answers: an HTTP status and a body to encode as JSON ({@code null} for none).
 */
record ApiResponse(int status, Object body) {

    static ApiResponse ok(Object body) {
        return new ApiResponse(200, body);
    }

    static ApiResponse error(int status, String code, String message) {
        return new ApiResponse(status, ApiError.of(code, message));
    }
}
