package io.netloom.rest.internal;

/**
 * A request the REST layer itself refuses before any service sees it (malformed JSON, too large, wrong media type).
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    ApiException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    static ApiException badRequest(String code, String message, String field) {
        return new ApiException(400, code, message, field);
    }

    ApiResponse toResponse() {
        return new ApiResponse(status, new ApiError(code, getMessage(), field));
    }
}
