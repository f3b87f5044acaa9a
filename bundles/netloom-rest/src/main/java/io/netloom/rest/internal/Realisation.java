package io.netloom.rest.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.servlet.http.HttpServletRequest;

import io.netloom.api.realisation.NodeRealisation;
import io.netloom.api.realisation.RealisationService;

/**
 * {@code ?wait=10s} on writes: the answer comes when the write is live, that is when every node whose desired
 * configuration the write changed has realised the write's model revision (applied it and read it back), so that
 * the first packet after the answer already obeys it. When time runs out the answer is 202, with the nodes still
 * behind in the header {@value #PENDING_HEADER} (and, for an answer without a body, in the body). A write that
 * changed nothing answers at once.
 */
final class Realisation {

    static final Duration MAX_WAIT = Duration.ofMinutes(5);
    /** The header naming the nodes that have not yet realised the write when a wait runs out. */
    static final String PENDING_HEADER = "Netloom-Pending";
    /** How long one wait on the reconciler lasts before the reconciler is looked up again (it may be replaced). */
    private static final long SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ABSENT_POLL_MILLIS = 20;
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

    /**
     * @return how long to wait, when the answer is to a write that committed a revision and asks to wait; else
     *     empty
     */
    static Optional<Duration> wanted(HttpServletRequest request, ApiResponse answer, long revision) {
        String wait = request.getParameter("wait");
        if (wait == null || "GET".equals(request.getMethod()) || answer.status() >= 300 || revision == 0) {
            return Optional.empty();
        }
        return Optional.of(parse(wait));
    }

    /**
     * Waits without holding a thread: {@code done} is called, once, on one of {@code timer}'s threads (or on the
     * caller's, when the write is realised already), with the answer once the write is realised, else with 202 when
     * the time is up.
     *
     * @param answer the write's answer
     * @param revision the model revision the write committed
     * @param wait how long to wait at most
     * @param service the reconciler now, or {@code null} while it is not running
     * @param reload the written object(s) as they are now, with their status
     * @param timer runs the checks and {@code done}
     * @param done receives the final answer
     */
    static void await(ApiResponse answer, long revision, Duration wait, Supplier<RealisationService> service,
            UnaryOperator<Object> reload, ScheduledExecutorService timer, Consumer<ApiResponse> done) {
        new Waiting(answer, revision, System.nanoTime() + wait.toNanos(), service, reload, timer, done).check();
    }

    /** One wait: checks, then sleeps on the reconciler's future (or a timer) until realised or out of time. */
    private record Waiting(ApiResponse answer, long revision, long deadline, Supplier<RealisationService> service,
            UnaryOperator<Object> reload, ScheduledExecutorService timer, Consumer<ApiResponse> done) {

        void check() {
            RealisationService reconciler = service.get();
            try {
                if (reconciler != null && reconciler.realised(revision)) {
                    done.accept(answer.with(answer.status(), reloaded(answer.body(), reload)));
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    done.accept(pending(answer, revision, reconciler, reload));
                    return;
                }
                if (reconciler == null) {
                    timer.schedule(this::check, Math.min(TimeUnit.MILLISECONDS.toNanos(ABSENT_POLL_MILLIS), left),
                            TimeUnit.NANOSECONDS);
                    return;
                }
                // In slices: a reconciler replaced meanwhile (its bundle updated) never completes the old future.
                reconciler.whenRealised(revision).orTimeout(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS)
                        .whenCompleteAsync((realised, timedOut) -> check(), timer);
            } catch (RejectedExecutionException e) {
                // The API is stopping: answer with what is pending now.
                done.accept(pending(answer, revision, reconciler, reload));
            }
        }
    }

    private static ApiResponse pending(ApiResponse answer, long revision, RealisationService reconciler,
            UnaryOperator<Object> reload) {
        List<NodeRealisation> behind = reconciler == null
                ? List.of(new NodeRealisation("reconciler", "", 0, 1, "The reconciler is not running"))
                : reconciler.pending(revision);
        String nodes = behind.stream().map(NodeRealisation::node).collect(Collectors.joining(","));
        Object body = answer.body() != null ? reloaded(answer.body(), reload)
                : Map.of("revision", revision, "pending", behind);
        ApiResponse later = answer.with(202, body);
        return nodes.isEmpty() ? later : later.withHeader(PENDING_HEADER, nodes);
    }

    private static Object reloaded(Object body, UnaryOperator<Object> reload) {
        return body == null ? null : reload.apply(body);
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
}
