package io.netloom.rest.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * Request paths the API refuses before routing. Servlet containers decode and normalise paths in ways that differ
 * between versions ({@code /networks/..%2fports} reached the port list), so a path that only means something after
 * such a step is refused as written: encoded slashes and backslashes, dot segments (also percent-encoded), NUL
 * bytes and {@code ;} path parameters.
 */
final class PathRules {

    private static final String[] FORBIDDEN = {"%2f", "%5c", "%00", "\\", ";"};

    private PathRules() {
    }

    /**
     * @param rawPath the request path as the client sent it, still percent-encoded
     * @return why it is refused, or empty when it is acceptable
     */
    static Optional<String> problem(String rawPath) {
        if (rawPath == null) {
            return Optional.of("The request has no path");
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        for (String forbidden : FORBIDDEN) {
            if (lower.contains(forbidden)) {
                return Optional.of("The path may not contain '" + forbidden + "'");
            }
        }
        for (String segment : lower.split("/", -1)) {
            String decoded = segment.replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return Optional.of("The path may not contain the dot segment '" + segment + "'");
            }
        }
        return Optional.empty();
    }
}
