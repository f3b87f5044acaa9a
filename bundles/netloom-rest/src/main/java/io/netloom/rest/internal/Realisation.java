package io.netloom.rest.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;

import io.netloom.api.model.Network;
import io.netloom.api.model.Port;
import io.netloom.api.model.RealisationStatus;

/**
 * {@code ?wait=10s} on writes: the answer is 201/200 only when the written object is {@code ACTIVE} on its data
 * plane, else 202 with its current status.
 *
 * <p>Nothing realises objects yet (the reconciler does, when it lands), so a written object is never
 * {@code ACTIVE} here and a write with {@code wait} answers 202 at once rather than sleeping for a change that
 * cannot come.
 */
final class Realisation {

    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final Pattern WAIT = Pattern.compile("([0-9]{1,6})(ms|s|m)?");

    private Realisation() {
    }

    /**
     * @throws ApiException 400 {@code INVALID_WAIT} for a malformed {@code wait}
     */
    static void check(HttpServletRequest request) {
        String wait = request.getParameter("wait");
        if (wait != null) {
            parse(wait);
        }
    }

    static ApiResponse await(HttpServletRequest request, ApiResponse answer) {
        String wait = request.getParameter("wait");
        if (wait == null || "GET".equals(request.getMethod())) {
            return answer;
        }
        if (answer.status() >= 300) {
            return answer;
        }
        RealisationStatus status = statusOf(answer.body());
        if (status == null || status == RealisationStatus.ACTIVE) {
            return answer;
        }
        return new ApiResponse(202, answer.body(), answer.location());
    }

    static Duration parse(String text) {
        Matcher m = WAIT.matcher(text);
        if (!m.matches()) {
            throw ApiException.badRequest("INVALID_WAIT", "wait is a duration such as 10s, 500ms or 2m", "wait");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.compareTo(MAX_WAIT) > 0) {
            throw ApiException.badRequest("INVALID_WAIT", "wait is at most 5m", "wait");
        }
        return d;
    }

    private static RealisationStatus statusOf(Object body) {
        if (body instanceof Network n) {
            return n.status();
        }
        if (body instanceof Port p) {
            return p.status();
        }
        return null;
    }
}
