package io.netloom.openflow;

import io.netloom.openflow.protocol.EchoRequest;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The liveness check of one {@link OpenFlowChannel}: an echo request every interval, and the channel declared dead
 * when the switch has shown no sign of life (see {@link Transport#silentNanos()}) for longer than the timeout.
 */
final class Keepalive {
    private static final Logger LOG = LoggerFactory.getLogger(Keepalive.class);

    private final String endpoint;
    private final Transport transport;
    private final Requests requests;
    private final BooleanSupplier closed;
    private final Consumer<OpenFlowConnectionException> dead;
    private volatile ScheduledFuture<?> task;

    /**
     * @param closed whether the channel is closed already (then a tick does nothing)
     * @param dead closes the channel with the given cause
     */
    Keepalive(String endpoint, Transport transport, Requests requests, BooleanSupplier closed,
            Consumer<OpenFlowConnectionException> dead) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.requests = requests;
        this.closed = closed;
        this.dead = dead;
    }

    /** Starts sending echoes every {@code interval}; the switch may stay silent for {@code timeout}. */
    void start(ScheduledExecutorService scheduler, Duration interval, Duration timeout) {
        long millis = interval.toMillis();
        task = scheduler.scheduleWithFixedDelay(() -> tick(timeout), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the echoes. */
    void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void tick(Duration timeout) {
        if (closed.getAsBoolean()) {
            return;
        }
        long silentNanos = transport.silentNanos();
        if (silentNanos > timeout.toNanos()) {
            dead.accept(new OpenFlowConnectionException("switch " + endpoint + " sent nothing and read nothing for "
                    + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms, not even an echo reply; presumed dead"));
            return;
        }
        try {
            transport.send(new EchoRequest(new byte[0]), requests.next());
        } catch (OpenFlowConnectionException e) {
            LOG.debug("keep-alive echo to {} not sent", endpoint, e);
        }
    }
}
