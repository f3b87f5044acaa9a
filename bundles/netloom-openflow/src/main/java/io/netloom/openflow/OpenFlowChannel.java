package io.netloom.openflow;

import io.netloom.openflow.protocol.BarrierReply;
import io.netloom.openflow.protocol.BarrierRequest;
import io.netloom.openflow.protocol.EchoReply;
import io.netloom.openflow.protocol.EchoRequest;
import io.netloom.openflow.protocol.ErrorMessage;
import io.netloom.openflow.protocol.FeaturesReply;
import io.netloom.openflow.protocol.FeaturesRequest;
import io.netloom.openflow.protocol.FlowMod;
import io.netloom.openflow.protocol.FlowStats;
import io.netloom.openflow.protocol.FlowStatsReply;
import io.netloom.openflow.protocol.FlowStatsRequest;
import io.netloom.openflow.protocol.Frame;
import io.netloom.openflow.protocol.Hello;
import io.netloom.openflow.protocol.OpenFlowCodec;
import io.netloom.openflow.protocol.OpenFlowMessage;
import io.netloom.openflow.protocol.OpenFlowRequest;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.annotation.versioning.ConsumerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenFlow 1.3 connection to one switch, opened by the controller towards the switch's OpenFlow listener:
 * {@code unix:/path/to/bridge.mgmt} (Open vSwitch's per-bridge management socket) or {@code tcp:HOST:PORT} (a
 * bridge whose controller is set to {@code ptcp:PORT:127.0.0.1}).
 *
 * <p>{@link #connect} exchanges HELLO (OpenFlow 1.3 only) and FEATURES, then the channel answers the switch's echo
 * requests and sends its own every {@link Options#echoInterval()}; when the switch shows no sign of life for
 * {@link Options#echoTimeout()} (no message, not even an echo reply, and no progress reading a backlog this channel
 * queued for it) the channel closes itself as dead. The channel does not reconnect: register {@link #onClose} and
 * open a new channel.
 *
 * <p>Threads: one I/O thread per channel, named {@code openflow-<endpoint>}, reads and dispatches everything the
 * switch sends and finishes writes the socket could not take at once; one daemon timer thread is shared by all
 * channels. {@link #close()} stops the I/O thread, and the timer thread with the last channel. Futures returned by
 * this class complete on the I/O thread (or, when the channel closes, on the thread that closes it): attach blocking
 * work with the {@code *Async} methods of {@link CompletableFuture}, never {@code join()} inside a callback.
 *
 * <p>Writes never block on the socket: messages are encoded into heap buffers, queued, and written with gathering
 * writes as fast as the switch reads. Bulk senders ({@link #atomically}, {@link #send(List)}) wait only while more
 * than a few megabytes are queued. All methods are thread-safe.
 *
 * <p>This class is the façade over four parts: the {@link Transport} (socket, I/O thread, write queue), the
 * {@link Requests} (transaction ids and the replies they await), the {@link BundleTransactions} and the
 * {@link Keepalive}.
 */
public final class OpenFlowChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowChannel.class);
    /** Marker cause for a close requested by the user. */
    private static final OpenFlowConnectionException USER_CLOSE = new OpenFlowConnectionException("closed");

    /**
     * Connection settings.
     *
     * @param connectTimeout time allowed for the TCP connect, HELLO and FEATURES exchange
     * @param echoInterval how often an echo request is sent
     * @param echoTimeout how long the switch may stay silent (no echo reply, no other message, and no progress
     *     reading what this channel queued for it) before the channel is closed as dead; a switch busy committing
     *     a large bundle is silent too, so keep this above the longest expected commit
     */
    public record Options(Duration connectTimeout, Duration echoInterval, Duration echoTimeout) {
        /** Checks that the durations are positive. */
        public Options {
            if (connectTimeout.isNegative() || connectTimeout.isZero() || echoInterval.isNegative()
                    || echoInterval.isZero() || echoTimeout.compareTo(echoInterval) < 0) {
                throw new IllegalArgumentException("timeouts must be positive and echoTimeout >= echoInterval");
            }
        }

        /** @return 10 s connect timeout, an echo every 5 s, dead after 15 s of silence */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(15));
        }
    }

    /** Told once when the channel closes, for whatever reason. */
    @ConsumerType
    @FunctionalInterface
    public interface CloseListener {
        /**
         * @param channel the closed channel
         * @param cause why it closed; empty when {@link #close()} was called
         */
        void closed(OpenFlowChannel channel, Optional<OpenFlowConnectionException> cause);
    }

    /**
     * Told about messages that answer no request of this channel: asynchronous messages (packet-in, port-status,
     * flow-removed, as {@link io.netloom.openflow.protocol.UnknownMessage}) and errors for fire-and-forget messages.
     * Called on the I/O thread; must not block.
     */
    @ConsumerType
    @FunctionalInterface
    public interface MessageListener {
        /**
         * @param channel the channel
         * @param frame the message with its transaction id
         */
        void received(OpenFlowChannel channel, Frame frame);
    }

    private final String endpoint;
    private final Options options;
    private final ScheduledExecutorService scheduler;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Transport transport;
    private final Requests requests;
    private final BundleTransactions bundles;
    private final Keepalive keepalive;
    private final CompletableFuture<Hello> hello = new CompletableFuture<>();
    private final List<CloseListener> closeListeners = new CopyOnWriteArrayList<>();
    private final List<MessageListener> messageListeners = new CopyOnWriteArrayList<>();
    private volatile OpenFlowConnectionException closeCause;
    private volatile FeaturesReply features;

    private OpenFlowChannel(String endpoint, SocketChannel socket, Options options) throws IOException {
        this.endpoint = endpoint;
        this.options = options;
        this.requests = new Requests(endpoint, closed::get, this::closedException);
        this.transport = new Transport(endpoint, socket, closed, new Transport.Receiver() {
            @Override
            public void received(Frame frame) {
                dispatch(frame);
            }

            @Override
            public void failed(OpenFlowConnectionException cause) {
                shutdown(cause);
            }
        }, this::closedException);
        this.bundles = new BundleTransactions(endpoint, transport, requests, this::isOpen);
        this.keepalive = new Keepalive(endpoint, transport, requests, closed::get, this::shutdown);
        this.scheduler = SharedScheduler.acquire();
    }

    /**
     * Connects with {@link Options#defaults()}.
     *
     * @param endpoint {@code unix:PATH} or {@code tcp:HOST:PORT}
     * @return the open channel, handshake done
     * @throws OpenFlowConnectionException when the switch cannot be reached or does not speak OpenFlow 1.3
     */
    public static OpenFlowChannel connect(String endpoint) throws OpenFlowConnectionException {
        return connect(endpoint, Options.defaults());
    }

    /**
     * Connects, exchanges HELLO (negotiating OpenFlow 1.3) and reads the switch's features. Blocks for at most
     * {@link Options#connectTimeout()}.
     *
     * @param endpoint {@code unix:PATH} or {@code tcp:HOST:PORT} ({@code tcp:[::1]:6653} for IPv6)
     * @param options timeouts
     * @return the open channel
     * @throws OpenFlowConnectionException when the switch cannot be reached, does not answer in time, or does not
     *     speak OpenFlow 1.3 (Open vSwitch: set the bridge's {@code protocols} to include {@code OpenFlow13})
     * @throws IllegalArgumentException when the endpoint is malformed
     */
    public static OpenFlowChannel connect(String endpoint, Options options) throws OpenFlowConnectionException {
        Objects.requireNonNull(options, "options");
        SocketChannel sc = null;
        OpenFlowChannel channel;
        try {
            sc = Transport.open(endpoint, options.connectTimeout());
            channel = new OpenFlowChannel(endpoint, sc, options);
        } catch (IOException e) {
            Transport.closeQuietly(sc, endpoint);
            throw new OpenFlowConnectionException("cannot connect to " + endpoint + ": " + e.getMessage(), e);
        }
        try {
            channel.handshake();
        } catch (OpenFlowConnectionException e) {
            channel.shutdown(e);
            throw e;
        }
        return channel;
    }

    private void handshake() throws OpenFlowConnectionException {
        transport.start();
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        transport.send(Hello.openFlow13(), requests.next());
        await(hello, deadline, "HELLO");
        features = await(request(new FeaturesRequest()), deadline, "FEATURES_REPLY");
        keepalive.start(scheduler, options.echoInterval(), options.echoTimeout());
        LOG.info("OpenFlow 1.3 channel to {} open, datapath id {}", endpoint, features.datapathIdHex());
    }

    private <T> T await(CompletableFuture<T> future, long deadlineNanos, String what)
            throws OpenFlowConnectionException {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new OpenFlowConnectionException("no " + what + " from " + endpoint + " within "
                    + options.connectTimeout().toMillis() + " ms", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OpenFlowConnectionException c) {
                throw c;
            }
            throw new OpenFlowConnectionException("handshake with " + endpoint + " failed at " + what + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpenFlowConnectionException("interrupted while connecting to " + endpoint, e);
        }
    }

    /** @return the endpoint this channel was opened with */
    public String endpoint() {
        return endpoint;
    }

    /** @return the switch's features, as read during the handshake */
    public FeaturesReply features() {
        return features;
    }

    /** @return the switch's 64-bit datapath id */
    public long datapathId() {
        return features.datapathId();
    }

    /** @return whether the channel is open */
    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Registers a listener told once when the channel closes; told at once if it is already closed.
     *
     * @param listener the listener
     */
    public void onClose(CloseListener listener) {
        closeListeners.add(listener);
        if (closed.get() && closeListeners.remove(listener)) {
            listener.closed(this, Optional.ofNullable(closeCause).filter(c -> c != USER_CLOSE));
        }
    }

    /**
     * Registers a listener for messages that answer no request; see {@link MessageListener}.
     *
     * @param listener the listener
     */
    public void onMessage(MessageListener listener) {
        messageListeners.add(listener);
    }

    /**
     * Sends a message without waiting for anything. If the switch rejects it, the error goes to the
     * {@link #onMessage} listeners and the log.
     *
     * @param message the message
     * @throws OpenFlowConnectionException when the channel is closed
     * @throws IllegalArgumentException when a message would exceed 65535 bytes (nothing is sent then)
     */
    public void send(OpenFlowMessage message) throws OpenFlowConnectionException {
        transport.send(message, requests.next());
    }

    /**
     * Sends messages in order, encoded into shared buffers and written with gathering writes. Waits only while
     * more than a few megabytes are queued for the socket.
     *
     * @param messages the messages
     * @throws OpenFlowConnectionException when the channel is closed
     * @throws IllegalArgumentException when a message would exceed 65535 bytes (nothing is sent then)
     */
    public void send(List<? extends OpenFlowMessage> messages) throws OpenFlowConnectionException {
        Transport.checkLengths(messages, 0);
        int first = requests.reserve(messages.size());
        Transport.BatchWriter writer = transport.batch();
        for (int i = 0; i < messages.size(); i++) {
            writer.add(messages.get(i), first + i);
        }
        writer.finish();
    }

    /**
     * Sends messages followed by a barrier; the future completes when the switch has processed all of them.
     *
     * @param messages e.g. flow mods
     * @return completes normally when none was rejected; otherwise fails with the first
     *     {@link OpenFlowErrorException} (later ones suppressed in it), or with {@link OpenFlowConnectionException}
     * @throws IllegalArgumentException when a message would exceed 65535 bytes (nothing is sent then)
     */
    public CompletableFuture<Void> sendConfirmed(List<? extends OpenFlowMessage> messages) {
        Transport.checkLengths(messages, 0);
        int n = messages.size();
        int first = requests.reserve(n + 1);
        Requests.XidRange range = requests.collect(first, n);
        CompletableFuture<BarrierReply> barrier = requests.register(first + n, BarrierReply.class);
        CompletableFuture<Void> result = new CompletableFuture<>();
        barrier.whenComplete((reply, failure) -> {
            requests.forget(range);
            Optional<Throwable> error = failure != null ? Optional.of(Requests.unwrap(failure)) : range.firstError();
            if (error.isPresent()) {
                result.completeExceptionally(error.get());
            } else {
                result.complete(null);
            }
        });
        try {
            Transport.BatchWriter writer = transport.batch();
            for (int i = 0; i < n; i++) {
                writer.add(messages.get(i), first + i);
            }
            writer.add(new BarrierRequest(), first + n);
            writer.finish();
        } catch (OpenFlowConnectionException e) {
            requests.fail(first + n, e);
        }
        return result;
    }

    /**
     * Sends a request and returns its reply. Multipart replies are joined. An {@code OFPT_ERROR} carrying the
     * request's transaction id fails the future with {@link OpenFlowErrorException}.
     *
     * @param request the request
     * @param <R> the reply type
     * @return the reply, completed on the I/O thread
     * @throws IllegalArgumentException when a message would exceed 65535 bytes (nothing is sent then)
     */
    public <R extends OpenFlowMessage> CompletableFuture<R> request(OpenFlowRequest<R> request) {
        Transport.checkLengths(List.of(request), 0);
        int xid = requests.next();
        CompletableFuture<R> future = requests.register(xid, request.replyType());
        try {
            transport.send(request, xid);
        } catch (OpenFlowConnectionException e) {
            requests.fail(xid, e);
        }
        return future;
    }

    /**
     * Sends a barrier.
     *
     * @return completes when the switch has processed every message sent before it
     */
    public CompletableFuture<Void> barrier() {
        return request(new BarrierRequest()).thenApply(r -> null);
    }

    /**
     * Sends an echo request.
     *
     * @return the round-trip time
     */
    public CompletableFuture<Duration> echo() {
        long start = System.nanoTime();
        return request(new EchoRequest(new byte[0])).thenApply(r -> Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Reads flow statistics, joining all parts of the multipart reply.
     *
     * @param request which flows
     * @return the flows
     */
    public CompletableFuture<List<FlowStats>> flowStats(FlowStatsRequest request) {
        return request(request).thenApply(FlowStatsReply::stats);
    }

    /**
     * Applies flow mods all-or-nothing, as an ONF bundle (OpenFlow 1.3 experimenter extension EXT-230) with flags
     * {@code ATOMIC | ORDERED}: opens the bundle, streams one bundle-add per flow mod without waiting for replies,
     * then sends a barrier. When the barrier reply shows that the open or any add was rejected, the bundle is
     * discarded; otherwise it is committed. Open vSwitch applies a committed bundle atomically: if one flow mod
     * fails at commit time, none takes effect.
     *
     * <p>The calling thread encodes and queues the messages (about 130 bytes per simple flow); it waits only while
     * more than a few megabytes are queued for the socket.
     *
     * <p>Open vSwitch (3.1) sets no limit on the number of messages in a bundle, so the list is never split (a split
     * could not stay atomic). Its limits are per message (65535 bytes, so one flow mod's match and instructions) and
     * time: a bundle that receives nothing for 10 s ({@code other_config:bundle-idle-timeout}) is discarded with
     * {@code OFPBFC_TIMEOUT}, which only matters if the caller stalls mid-upload.
     *
     * @param flowMods the flow mods, applied in order
     * @return completes when the switch confirms the commit; fails with {@link OpenFlowErrorException} (the error
     *     of the offending flow mod when the switch names one, with the bundle-level error suppressed in it) or
     *     {@link OpenFlowConnectionException}
     * @throws IllegalArgumentException when a message would exceed 65535 bytes (nothing is sent then)
     */
    public CompletableFuture<Void> atomically(List<FlowMod> flowMods) {
        return bundles.apply(flowMods);
    }

    /**
     * Closes the channel: pending requests fail with {@link OpenFlowConnectionException}, the I/O thread ends
     * before this method returns, and with the last channel the shared timer thread too. Idempotent.
     */
    @Override
    public void close() {
        shutdown(USER_CLOSE);
    }

    // ------------------------------------------------------------------------------------------ internals

    private OpenFlowConnectionException closedException() {
        OpenFlowConnectionException cause = closeCause;
        return cause == null || cause == USER_CLOSE
                ? new OpenFlowConnectionException("channel to " + endpoint + " is closed")
                : new OpenFlowConnectionException("channel to " + endpoint + " closed: " + cause.getMessage(),
                        cause);
    }

    /** Handles a message from the switch, on the I/O thread. */
    private void dispatch(Frame frame) {
        OpenFlowMessage message = frame.message();
        if (message instanceof Hello h) {
            onHello(frame, h);
            return;
        }
        if (message instanceof EchoRequest e) {
            try {
                transport.send(new EchoReply(e.data()), frame.xid());
            } catch (OpenFlowConnectionException ex) {
                LOG.debug("could not answer the echo request of {}", endpoint, ex);
            }
            return;
        }
        if (requests.answer(frame)) {
            return;
        }
        if (message instanceof ErrorMessage error) {
            LOG.warn("{}", new OpenFlowErrorException(endpoint, frame.xid(), error).getMessage());
        } else if (message instanceof EchoReply) {
            return;
        }
        for (MessageListener l : messageListeners) {
            try {
                l.received(this, frame);
            } catch (RuntimeException ex) {
                LOG.warn("message listener on {} failed", endpoint, ex);
            }
        }
    }

    private void onHello(Frame frame, Hello h) {
        boolean ok = h.versionBitmap() != 0 ? h.supports(OpenFlowCodec.VERSION)
                : frame.version() >= OpenFlowCodec.VERSION;
        if (ok) {
            hello.complete(h);
            return;
        }
        String text = "Netloom speaks OpenFlow 1.3 only";
        try {
            transport.send(new ErrorMessage(ErrorMessage.HELLO_FAILED, 0, 0,
                    text.getBytes(StandardCharsets.US_ASCII)), frame.xid());
        } catch (OpenFlowConnectionException e) {
            LOG.debug("could not send HELLO_FAILED to {}", endpoint, e);
        }
        hello.completeExceptionally(new OpenFlowConnectionException("switch " + endpoint
                + " does not offer OpenFlow 1.3 (hello version " + frame.version() + ", bitmap 0x"
                + Integer.toHexString(h.versionBitmap()) + "); enable OpenFlow13 in the bridge's protocols"));
    }

    private void shutdown(OpenFlowConnectionException cause) {
        if (!closed.compareAndSet(false, true)) {
            transport.joinIoThread();
            return;
        }
        closeCause = cause;
        keepalive.stop();
        transport.close();
        OpenFlowConnectionException failure = closedException();
        hello.completeExceptionally(failure);
        requests.failAll(failure);
        transport.joinIoThread();
        SharedScheduler.release();
        if (cause == USER_CLOSE) {
            LOG.info("OpenFlow channel to {} closed", endpoint);
        } else if (features == null) {
            // connect() throws this cause to its caller.
            LOG.debug("OpenFlow handshake with {} failed: {}", endpoint, cause.getMessage());
        } else {
            LOG.warn("OpenFlow channel to {} lost: {}", endpoint, cause.getMessage());
        }
        Optional<OpenFlowConnectionException> reported = Optional.of(cause).filter(c -> c != USER_CLOSE);
        for (CloseListener l : closeListeners) {
            if (closeListeners.remove(l)) {
                try {
                    l.closed(this, reported);
                } catch (RuntimeException e) {
                    LOG.warn("close listener on {} failed", endpoint, e);
                }
            }
        }
    }
}
