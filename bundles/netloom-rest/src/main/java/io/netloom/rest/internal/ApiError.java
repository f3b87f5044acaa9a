package io.netloom.rest.internal;

/**
 * The body of every 4xx/5xx answer: {@code {"code": "...", "message": "...", "field": "..."}}; {@code field} is
 * left out when no single field is at fault.
 */
record ApiError(String code, String message, String field) {

    static ApiError of(String code, String message) {
        return new ApiError(code, message, null);
    }
}
