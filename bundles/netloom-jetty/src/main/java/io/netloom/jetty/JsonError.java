package io.netloom.jetty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletResponse;

/**
 * The API's error body, {@code {"code": "...", "message": "..."}}, for the answers Jetty gives itself. This bundle
 * is a fragment of Pax Web's Jetty bundle and can use only what that bundle imports, so the JSON is written here
 * rather than with the API's codec.
 */
final class JsonError {

    static final String CONTENT_TYPE = "application/json;charset=utf-8";

    private JsonError() {
    }

    /**
     * @param status the HTTP status
     * @param reason Jetty's reason, or {@code null}
     * @return the machine-readable code the API uses for that status (and reason)
     */
    static String code(int status, String reason) {
        return switch (status) {
            case 400 -> reason != null && (reason.contains("URI") || reason.contains("path")) ? "INVALID_PATH"
                    : "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 408 -> "REQUEST_TIMEOUT";
            case 411 -> "LENGTH_REQUIRED";
            case 413 -> "BODY_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 417 -> "EXPECTATION_FAILED";
            case 431 -> "HEADERS_TOO_LARGE";
            case 501 -> "NOT_IMPLEMENTED";
            case 503 -> "SERVICE_UNAVAILABLE";
            case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
            default -> status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + status;
        };
    }

    /**
     * @return the body for a status and Jetty's reason (a fixed sentence when there is none)
     */
    static String body(int status, String reason) {
        String message = switch (status) {
            case 414 -> "The request line is longer than the server accepts (requestHeaderSize in etc/jetty.xml)";
            case 431 -> "The headers are larger than the server accepts (requestHeaderSize in etc/jetty.xml)";
            default -> reason == null || reason.isBlank() ? "The request was refused with HTTP " + status
                    : "The request was refused: " + reason;
        };
        return body(code(status, reason), message);
    }

    /**
     * @return {@code {"code": code, "message": message}} with both strings escaped
     */
    static String body(String code, String message) {
        return "{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}";
    }

    /** A JSON string: quotes, backslashes, control and non-ASCII characters escaped. */
    static String quote(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * Writes the error as the whole answer.
     */
    static void write(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(bytes.length);
        OutputStream out;
        try {
            out = response.getOutputStream();
        } catch (IllegalStateException e) {
            // A writer was taken earlier in this answer: the body goes through it (it is ASCII only).
            response.getWriter().write(body);
            return;
        }
        out.write(bytes);
    }

    /**
     * @param rawPath a request's path as the client wrote it, or {@code null} when unknown
     * @param prefix the API's path prefix, such as {@code /netloom/api}
     * @return whether the path is the prefix or under it, read the way the server will route it: repeated slashes
     *     count as one, {@code ;} parameters are ignored, percent-escaped letters and digits are decoded
     */
    static boolean isUnder(String rawPath, String prefix) {
        if (rawPath == null) {
            return false;
        }
        String path = routed(rawPath);
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String routed(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
                char decoded = (char) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                if (Character.isLetterOrDigit(decoded) && decoded < 0x80) {
                    b.append(decoded);
                    i += 2;
                    continue;
                }
            }
            if (c == ';') {
                while (i + 1 < raw.length() && raw.charAt(i + 1) != '/') {
                    i++;
                }
                continue;
            }
            if (c == '/' && b.length() > 0 && b.charAt(b.length() - 1) == '/') {
                continue;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
