package io.netloom.rest.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
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
 * <p>The reconciler realises objects on their data plane and the model services report its status; this polls
 * the written object until it is {@code ACTIVE} or the time is up.
 */
final class Realisation {

    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    static final long POLL_MILLIS = 5;
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

    static ApiResponse await(HttpServletRequest request, ApiResponse answer, Function<Object, Object> reload) {
        String wait = request.getParameter("wait");
        if (wait == null || "GET".equals(request.getMethod()) || answer.status() >= 300) {
            return answer;
        }
        long deadline = System.nanoTime() + parse(wait).toNanos();
        Object body = answer.body();
        while (true) {
            RealisationStatus status = statusOf(body);
            if (status == null || status == RealisationStatus.ACTIVE) {
                return new ApiResponse(answer.status(), body, answer.location());
            }
            if (System.nanoTime() >= deadline) {
                return new ApiResponse(202, body, answer.location());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ApiResponse(202, body, answer.location());
            }
            body = reload.apply(body);
        }
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
        if (body instanceof List<?> list) {
            // Many written at once: ACTIVE when all are, else the first that is not.
            RealisationStatus all = null;
            for (Object item : list) {
                RealisationStatus one = statusOf(item);
                if (one != null && one != RealisationStatus.ACTIVE) {
                    return one;
                }
                all = one == null ? all : one;
            }
            return all;
        }
        return null;
    }
}
