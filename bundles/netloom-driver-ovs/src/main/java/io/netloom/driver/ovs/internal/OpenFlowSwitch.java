package io.netloom.driver.ovs.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverException;
import io.netloom.openflow.OpenFlowChannel;
import io.netloom.openflow.OpenFlowConnectionException;
import io.netloom.openflow.protocol.FlowMod;
import io.netloom.openflow.protocol.FlowStats;
import io.netloom.openflow.protocol.FlowStatsRequest;
import io.netloom.ovsdb.Backoff;

/**
 * The OpenFlow side of the driver: one {@link OpenFlowChannel} to the integration bridge, re-opened after any loss
 * with backoff (1 s doubling to 8 s; the bridge's socket appears only once OVSDB created the bridge). Connecting
 * changes nothing in the switch: in fail mode secure its flows stay as they were while Netloom was away.
 */
final class OpenFlowSwitch implements SwitchFlows {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowSwitch.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(8);
    /** A bundle of 100,000 flows takes seconds on a busy machine; a read is quicker. */
    private static final Duration BUNDLE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String endpoint;
    private final ScheduledExecutorService scheduler;
    private volatile OpenFlowChannel channel;
    private volatile boolean closed;
    private final Backoff retry = new Backoff(FIRST_RETRY, LAST_RETRY);

    OpenFlowSwitch(String endpoint) {
        this.endpoint = endpoint;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "netloom-ovs-openflow-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Echo every 5 s, but the switch is presumed dead only after 60 s without a sign of life: ovs-vswitchd adding
     * thousands of ports at once (a userspace datapath reconfigures every port) stays silent for half a minute and
     * more, and a dropped channel costs a reconnect and a failed apply. A switch that really dies closes its socket,
     * which the channel sees at once.
     */
    private static final OpenFlowChannel.Options CHANNEL = new OpenFlowChannel.Options(Duration.ofSeconds(10),
            Duration.ofSeconds(5), Duration.ofSeconds(60));

    void start() {
        scheduler.execute(this::connect);
    }

    String endpoint() {
        return endpoint;
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            OpenFlowChannel opened = OpenFlowChannel.connect(endpoint, CHANNEL);
            opened.onClose(this::lost);
            channel = opened;
            retry.reset();
            LOG.info("Connected to bridge over OpenFlow 1.3 at {} (datapath {})", endpoint,
                    Long.toHexString(opened.datapathId()));
        } catch (OpenFlowConnectionException | RuntimeException e) {
            Duration delay = retry.next();
            LOG.debug("OpenFlow {} not reachable ({}); retrying in {}", endpoint, e.getMessage(), delay);
            scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void lost(OpenFlowChannel which, Optional<OpenFlowConnectionException> cause) {
        if (closed || which != channel) {
            return;
        }
        channel = null;
        LOG.warn("Lost the OpenFlow channel to {}: {}; reconnecting", endpoint,
                cause.map(Throwable::getMessage).orElse("closed"));
        if (!scheduler.isShutdown()) {
            scheduler.schedule(this::connect, FIRST_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean connected() {
        OpenFlowChannel c = channel;
        return c != null && c.isOpen();
    }

    @Override
    public Map<Long, Integer> cookieCounts() {
        List<FlowStats> stats = await(require().flowStats(FlowStatsRequest.byCookie(Pipeline.COOKIE_PREFIX,
                Pipeline.COOKIE_PREFIX_MASK)), READ_TIMEOUT, "reading flows");
        Map<Long, Integer> counts = new HashMap<>();
        for (FlowStats flow : stats) {
            counts.merge(flow.cookie(), 1, Integer::sum);
        }
        return counts;
    }

    @Override
    public void replace(Collection<Long> deleteCookies, List<FlowSpec> add) {
        List<FlowMod> mods = new ArrayList<>(deleteCookies.size() + add.size());
        for (long cookie : deleteCookies) {
            mods.add(FlowEncoder.deleteCookie(cookie));
        }
        for (FlowSpec flow : add) {
            mods.add(FlowEncoder.add(flow));
        }
        await(require().atomically(mods), BUNDLE_TIMEOUT, "a bundle of " + mods.size() + " flow-mod(s)");
    }

    private OpenFlowChannel require() {
        OpenFlowChannel c = channel;
        if (c == null || !c.isOpen()) {
            throw new DriverException("Not connected to the bridge over OpenFlow at " + endpoint, null);
        }
        return c;
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DriverException("The switch refused " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DriverException("The switch did not answer " + what + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted during " + what, e);
        }
    }

    void close() {
        closed = true;
        scheduler.shutdownNow();
        OpenFlowChannel c = channel;
        channel = null;
        if (c != null) {
            c.close();
        }
    }
}
