package io.netloom.openflow;

import io.netloom.openflow.protocol.BarrierReply;
import io.netloom.openflow.protocol.BarrierRequest;
import io.netloom.openflow.protocol.BundleAdd;
import io.netloom.openflow.protocol.BundleControl;
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
import io.netloom.openflow.protocol.OpenFlowProtocolException;
import io.netloom.openflow.protocol.OpenFlowRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
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
 */
public final class OpenFlowChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenFlowChannel.class);
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final long HIGH_WATER_BYTES = 4L * 1024 * 1024;
    private static final int GATHER_MAX = 64;
    /** Experimenter header (16 bytes) and bundle id, pad and flags (8 bytes) around a bundled message. */
    private static final int BUNDLE_ADD_OVERHEAD = 24;

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
    private final SocketChannel socket;
    private final Options options;
    private final Selector selector;
    private final SelectionKey key;
    private final Thread ioThread;
    private final ScheduledExecutorService scheduler;
    private final AtomicInteger xids = new AtomicInteger(1);
    private final AtomicInteger bundleIds = new AtomicInteger(1);
    private final Map<Integer, Pending<?>> pending = new ConcurrentHashMap<>();
    private final Set<XidRange> ranges = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Hello> hello = new CompletableFuture<>();
    private final List<CloseListener> closeListeners = new CopyOnWriteArrayList<>();
    private final List<MessageListener> messageListeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition drained = writeLock.newCondition();
    private final ArrayDeque<ByteBuffer> outQueue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writeInterest;
    private volatile long lastSignOfLifeNanos = System.nanoTime();
    private volatile OpenFlowConnectionException closeCause;
    private volatile FeaturesReply features;
    private volatile ScheduledFuture<?> keepalive;

    private OpenFlowChannel(String endpoint, SocketChannel socket, Options options) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.options = options;
        socket.configureBlocking(false);
        this.selector = Selector.open();
        this.key = socket.register(selector, SelectionKey.OP_READ);
        this.ioThread = new Thread(this::ioLoop, "openflow-" + endpoint);
        this.ioThread.setDaemon(true);
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
            if (endpoint.startsWith("unix:")) {
                sc = SocketChannel.open(StandardProtocolFamily.UNIX);
                sc.connect(UnixDomainSocketAddress.of(endpoint.substring(5)));
            } else if (endpoint.startsWith("tcp:")) {
                SocketAddress address = tcpAddress(endpoint);
                sc = SocketChannel.open();
                sc.socket().connect(address, (int) options.connectTimeout().toMillis());
                sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } else {
                throw new IllegalArgumentException("endpoint must be unix:PATH or tcp:HOST:PORT, not " + endpoint);
            }
            channel = new OpenFlowChannel(endpoint, sc, options);
        } catch (IOException e) {
            closeQuietly(sc, endpoint);
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

    private static SocketAddress tcpAddress(String endpoint) {
        String hostPort = endpoint.substring(4);
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("tcp endpoint needs HOST:PORT: " + endpoint);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in " + endpoint, e);
        }
        return new InetSocketAddress(host, port);
    }

    private static void closeQuietly(SocketChannel sc, String endpoint) {
        if (sc != null) {
            try {
                sc.close();
            } catch (IOException e) {
                LOG.debug("closing the failed connection to {} failed too", endpoint, e);
            }
        }
    }

    private void handshake() throws OpenFlowConnectionException {
        ioThread.start();
        long deadline = System.nanoTime() + options.connectTimeout().toNanos();
        enqueue(encode(Hello.openFlow13(), nextXid()), false);
        await(hello, deadline, "HELLO");
        features = await(request(new FeaturesRequest()), deadline, "FEATURES_REPLY");
        long interval = options.echoInterval().toMillis();
        keepalive = scheduler.scheduleWithFixedDelay(this::keepaliveTick, interval, interval, TimeUnit.MILLISECONDS);
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
        enqueue(encode(message, nextXid()), false);
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
        checkLengths(messages, 0);
        int first = xids.getAndAdd(messages.size());
        BatchWriter writer = new BatchWriter();
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
        checkLengths(messages, 0);
        int n = messages.size();
        int first = xids.getAndAdd(n + 1);
        XidRange range = new XidRange(first, n);
        ranges.add(range);
        CompletableFuture<BarrierReply> barrier = register(first + n, BarrierReply.class);
        CompletableFuture<Void> result = new CompletableFuture<>();
        barrier.whenComplete((reply, failure) -> {
            ranges.remove(range);
            Optional<Throwable> error = failure != null ? Optional.of(unwrap(failure)) : range.firstError();
            if (error.isPresent()) {
                result.completeExceptionally(error.get());
            } else {
                result.complete(null);
            }
        });
        try {
            BatchWriter writer = new BatchWriter();
            for (int i = 0; i < n; i++) {
                writer.add(messages.get(i), first + i);
            }
            writer.add(new BarrierRequest(), first + n);
            writer.finish();
        } catch (OpenFlowConnectionException e) {
            failPending(first + n, e);
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
        checkLengths(List.of(request), 0);
        int xid = nextXid();
        CompletableFuture<R> future = register(xid, request.replyType());
        try {
            enqueue(encode(request, xid), false);
        } catch (OpenFlowConnectionException e) {
            failPending(xid, e);
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
        checkLengths(flowMods, BUNDLE_ADD_OVERHEAD);
        if (flowMods.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        int n = flowMods.size();
        int bundleId = bundleIds.getAndIncrement();
        int flags = BundleControl.ATOMIC | BundleControl.ORDERED;
        int openXid = xids.getAndAdd(n + 3);
        int barrierXid = openXid + 1 + n;
        int finishXid = barrierXid + 1;
        XidRange adds = new XidRange(openXid + 1, n);
        ranges.add(adds);
        CompletableFuture<BundleControl> opened = register(openXid, BundleControl.class);
        CompletableFuture<BarrierReply> barrier = register(barrierXid, BarrierReply.class);
        CompletableFuture<Void> result = new CompletableFuture<>();
        barrier.whenComplete((reply, failure) -> {
            Optional<Throwable> error = failure != null ? Optional.of(unwrap(failure))
                    : opened.isCompletedExceptionally() ? Optional.of(unwrap(opened.handle((r, t) -> t).join()))
                    : adds.firstError();
            if (error.isPresent()) {
                ranges.remove(adds);
                discard(bundleId, flags, finishXid);
                result.completeExceptionally(error.get());
            } else {
                commit(bundleId, flags, finishXid, adds, result);
            }
        });
        try {
            BatchWriter writer = new BatchWriter();
            writer.add(new BundleControl(bundleId, BundleControl.OPEN_REQUEST, flags), openXid);
            for (int i = 0; i < n; i++) {
                writer.add(new BundleAdd(bundleId, flags, flowMods.get(i)), openXid + 1 + i);
            }
            writer.add(new BarrierRequest(), barrierXid);
            writer.finish();
        } catch (OpenFlowConnectionException e) {
            failPending(openXid, e);
            failPending(barrierXid, e);
        }
        return result;
    }

    private void commit(int bundleId, int flags, int xid, XidRange adds, CompletableFuture<Void> result) {
        CompletableFuture<BundleControl> committed = register(xid, BundleControl.class);
        committed.whenComplete((reply, failure) -> {
            ranges.remove(adds);
            Optional<Throwable> inner = adds.firstError();
            if (failure == null && inner.isEmpty() && reply.controlType() == BundleControl.COMMIT_REPLY) {
                result.complete(null);
                return;
            }
            Throwable error = inner.orElseGet(() -> failure != null ? unwrap(failure)
                    : new OpenFlowProtocolException("unexpected bundle control type " + reply.controlType()
                            + " in reply to commit of bundle " + bundleId));
            if (failure != null && inner.isPresent()) {
                error.addSuppressed(unwrap(failure));
            }
            result.completeExceptionally(error);
        });
        try {
            enqueue(encode(new BundleControl(bundleId, BundleControl.COMMIT_REQUEST, flags), xid), false);
        } catch (OpenFlowConnectionException e) {
            failPending(xid, e);
        }
    }

    private void discard(int bundleId, int flags, int xid) {
        CompletableFuture<BundleControl> discarded = register(xid, BundleControl.class);
        discarded.whenComplete((reply, failure) -> {
            if (failure != null && isOpen()) {
                LOG.warn("discarding bundle {} on {} failed: {}", bundleId, endpoint, failure.getMessage());
            }
        });
        try {
            enqueue(encode(new BundleControl(bundleId, BundleControl.DISCARD_REQUEST, flags), xid), false);
        } catch (OpenFlowConnectionException e) {
            failPending(xid, e);
        }
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

    /** Marker cause for a close requested by the user. */
    private static final OpenFlowConnectionException USER_CLOSE = new OpenFlowConnectionException("closed");

    /**
     * Rejects, before anything is sent, a message that would not fit the 16-bit OpenFlow length field.
     *
     * @throws IllegalArgumentException naming the first message that is too long
     */
    private static void checkLengths(List<? extends OpenFlowMessage> messages, int overhead) {
        for (int i = 0; i < messages.size(); i++) {
            int length = OpenFlowCodec.encodedLength(messages.get(i)) + overhead;
            if (length > 0xffff) {
                throw new IllegalArgumentException("message " + i + " would be " + length
                        + " bytes; OpenFlow messages are limited to 65535");
            }
        }
    }

    private int nextXid() {
        return xids.getAndIncrement();
    }

    private static ByteBuffer encode(OpenFlowMessage message, int xid) {
        return ByteBuffer.wrap(OpenFlowCodec.encode(message, xid));
    }

    private <R extends OpenFlowMessage> CompletableFuture<R> register(int xid, Class<R> replyType) {
        Pending<R> p = new Pending<>(xid, replyType);
        pending.put(xid, p);
        if (closed.get() && pending.remove(xid) != null) {
            p.future.completeExceptionally(closedException());
        }
        return p.future;
    }

    private void failPending(int xid, Throwable error) {
        Pending<?> p = pending.remove(xid);
        if (p != null) {
            p.future.completeExceptionally(error);
        }
    }

    private OpenFlowConnectionException closedException() {
        OpenFlowConnectionException cause = closeCause;
        return cause == null || cause == USER_CLOSE
                ? new OpenFlowConnectionException("channel to " + endpoint + " is closed")
                : new OpenFlowConnectionException("channel to " + endpoint + " closed: " + cause.getMessage(),
                        cause);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Queues buffers and writes as much as the socket takes now; the I/O thread writes the rest when the socket
     * becomes writable.
     */
    private void enqueue(ByteBuffer buffer, boolean backpressure) throws OpenFlowConnectionException {
        IOException failure = null;
        writeLock.lock();
        try {
            if (closed.get()) {
                throw closedException();
            }
            if (backpressure && Thread.currentThread() != ioThread) {
                while (queuedBytes > HIGH_WATER_BYTES && !closed.get()) {
                    try {
                        drained.await(100, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new OpenFlowConnectionException("interrupted while waiting to write to " + endpoint,
                                e);
                    }
                }
                if (closed.get()) {
                    throw closedException();
                }
            }
            outQueue.add(buffer);
            queuedBytes += buffer.remaining();
            try {
                drainLocked();
            } catch (IOException e) {
                failure = e;
            }
        } finally {
            writeLock.unlock();
        }
        if (failure != null) {
            OpenFlowConnectionException e = new OpenFlowConnectionException("writing to " + endpoint + " failed: "
                    + failure.getMessage(), failure);
            shutdown(e);
            throw e;
        }
    }

    /** Writes queued buffers until the queue is empty or the socket is full. Caller holds the write lock. */
    private void drainLocked() throws IOException {
        boolean wasFull = writeInterest;
        long total = 0;
        ByteBuffer[] batch = new ByteBuffer[GATHER_MAX];
        while (!outQueue.isEmpty()) {
            int n = 0;
            for (ByteBuffer b : outQueue) {
                batch[n++] = b;
                if (n == GATHER_MAX) {
                    break;
                }
            }
            long written = socket.write(batch, 0, n);
            queuedBytes -= written;
            total += written;
            while (!outQueue.isEmpty() && !outQueue.peekFirst().hasRemaining()) {
                outQueue.pollFirst();
            }
            if (batch[n - 1].hasRemaining()) {
                // The socket took less than offered: it is full until the selector says otherwise.
                break;
            }
        }
        Arrays.fill(batch, null);
        if (wasFull && total > 0) {
            // The switch is reading: while it works through a large upload it sends nothing, yet it is alive.
            lastSignOfLifeNanos = System.nanoTime();
        }
        boolean wantWrite = !outQueue.isEmpty();
        if (wantWrite != writeInterest) {
            writeInterest = wantWrite;
            key.interestOps(wantWrite ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            if (wantWrite && Thread.currentThread() != ioThread) {
                selector.wakeup();
            }
        }
        if (queuedBytes <= HIGH_WATER_BYTES) {
            drained.signalAll();
        }
    }

    private void ioLoop() {
        ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
        OpenFlowConnectionException failure = null;
        try {
            while (!closed.get()) {
                selector.select();
                if (closed.get()) {
                    break;
                }
                selector.selectedKeys().clear();
                if (!key.isValid()) {
                    break;
                }
                if (key.isWritable()) {
                    writeLock.lock();
                    try {
                        drainLocked();
                    } finally {
                        writeLock.unlock();
                    }
                }
                if (key.isReadable() && !readAvailable(in)) {
                    failure = new OpenFlowConnectionException("switch " + endpoint + " closed the connection");
                    break;
                }
            }
        } catch (IOException | ClosedSelectorException | CancelledKeyException e) {
            if (!closed.get()) {
                failure = new OpenFlowConnectionException("connection to " + endpoint + " broke: " + e, e);
            }
        } catch (OpenFlowProtocolException e) {
            failure = new OpenFlowConnectionException("protocol error on " + endpoint + ": " + e.getMessage(), e);
        } finally {
            if (failure != null) {
                shutdown(failure);
            }
            try {
                selector.close();
            } catch (IOException e) {
                LOG.debug("closing the selector of {} failed", endpoint, e);
            }
        }
    }

    /** @return false at end of stream */
    private boolean readAvailable(ByteBuffer in) throws IOException, OpenFlowProtocolException {
        int n = 0;
        // A bounded number of reads per wake-up keeps writes flowing while the switch sends a lot.
        for (int reads = 0; reads < 16 && (n = socket.read(in)) > 0; reads++) {
            lastSignOfLifeNanos = System.nanoTime();
            in.flip();
            while (true) {
                Optional<Integer> length = OpenFlowCodec.peekLength(in);
                if (length.isEmpty() || length.get() > in.remaining()) {
                    break;
                }
                if (length.get() < OpenFlowCodec.HEADER_LENGTH) {
                    throw new OpenFlowProtocolException("message length " + length.get() + " below 8");
                }
                dispatch(OpenFlowCodec.decode(in));
            }
            in.compact();
        }
        return n >= 0;
    }

    private void dispatch(Frame frame) {
        OpenFlowMessage message = frame.message();
        if (message instanceof Hello h) {
            onHello(frame, h);
            return;
        }
        if (message instanceof EchoRequest e) {
            try {
                enqueue(encode(new EchoReply(e.data()), frame.xid()), false);
            } catch (OpenFlowConnectionException ex) {
                LOG.debug("could not answer the echo request of {}", endpoint, ex);
            }
            return;
        }
        Pending<?> p = pending.get(frame.xid());
        if (p != null) {
            if (p.accept(message)) {
                pending.remove(frame.xid());
            }
            return;
        }
        if (message instanceof ErrorMessage error) {
            OpenFlowErrorException ex = new OpenFlowErrorException(endpoint, frame.xid(), error);
            for (XidRange r : ranges) {
                if (r.contains(frame.xid())) {
                    r.record(ex);
                    return;
                }
            }
            LOG.warn("{}", ex.getMessage());
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
            enqueue(encode(new ErrorMessage(ErrorMessage.HELLO_FAILED, 0, 0,
                    text.getBytes(StandardCharsets.US_ASCII)), frame.xid()), false);
        } catch (OpenFlowConnectionException e) {
            LOG.debug("could not send HELLO_FAILED to {}", endpoint, e);
        }
        hello.completeExceptionally(new OpenFlowConnectionException("switch " + endpoint
                + " does not offer OpenFlow 1.3 (hello version " + frame.version() + ", bitmap 0x"
                + Integer.toHexString(h.versionBitmap()) + "); enable OpenFlow13 in the bridge's protocols"));
    }

    private void keepaliveTick() {
        if (closed.get()) {
            return;
        }
        long silentNanos = System.nanoTime() - lastSignOfLifeNanos;
        if (silentNanos > options.echoTimeout().toNanos()) {
            shutdown(new OpenFlowConnectionException("switch " + endpoint + " sent nothing and read nothing for "
                    + TimeUnit.NANOSECONDS.toMillis(silentNanos) + " ms, not even an echo reply; presumed dead"));
            return;
        }
        try {
            enqueue(encode(new EchoRequest(new byte[0]), nextXid()), false);
        } catch (OpenFlowConnectionException e) {
            LOG.debug("keep-alive echo to {} not sent", endpoint, e);
        }
    }

    private void shutdown(OpenFlowConnectionException cause) {
        if (!closed.compareAndSet(false, true)) {
            joinIoThread();
            return;
        }
        closeCause = cause;
        ScheduledFuture<?> k = keepalive;
        if (k != null) {
            k.cancel(false);
        }
        selector.wakeup();
        closeQuietly(socket, endpoint);
        writeLock.lock();
        try {
            outQueue.clear();
            queuedBytes = 0;
            drained.signalAll();
        } finally {
            writeLock.unlock();
        }
        OpenFlowConnectionException failure = closedException();
        hello.completeExceptionally(failure);
        for (Integer xid : new ArrayList<>(pending.keySet())) {
            failPending(xid, failure);
        }
        ranges.clear();
        joinIoThread();
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

    private void joinIoThread() {
        if (Thread.currentThread() == ioThread || !ioThread.isAlive()) {
            return;
        }
        try {
            ioThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Encodes messages into shared chunks and queues each full chunk, with backpressure. */
    private final class BatchWriter {
        private ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);

        void add(OpenFlowMessage message, int xid) throws OpenFlowConnectionException {
            int length = OpenFlowCodec.encodedLength(message);
            if (chunk.remaining() < length) {
                queueChunk();
                chunk = ByteBuffer.allocate(Math.max(CHUNK_BYTES, length));
            }
            OpenFlowCodec.encode(message, xid, chunk);
        }

        void finish() throws OpenFlowConnectionException {
            queueChunk();
        }

        private void queueChunk() throws OpenFlowConnectionException {
            if (chunk.position() > 0) {
                chunk.flip();
                enqueue(chunk, true);
            }
        }
    }

    /** A request waiting for its reply; touched by the I/O thread only, after registration. */
    private final class Pending<R extends OpenFlowMessage> {
        final int xid;
        final Class<R> replyType;
        final CompletableFuture<R> future = new CompletableFuture<>();
        final List<FlowStatsReply> parts = new ArrayList<>();

        Pending(int xid, Class<R> replyType) {
            this.xid = xid;
            this.replyType = replyType;
        }

        /** @return whether the request is finished */
        boolean accept(OpenFlowMessage message) {
            if (message instanceof ErrorMessage error) {
                future.completeExceptionally(new OpenFlowErrorException(endpoint, xid, error));
                return true;
            }
            if (!replyType.isInstance(message)) {
                future.completeExceptionally(new OpenFlowProtocolException("expected "
                        + replyType.getSimpleName() + " but " + endpoint + " sent " + message));
                return true;
            }
            if (message instanceof FlowStatsReply part) {
                parts.add(part);
                if (part.more()) {
                    return false;
                }
                future.complete(replyType.cast(FlowStatsReply.join(parts)));
                return true;
            }
            future.complete(replyType.cast(message));
            return true;
        }
    }

    /** A block of consecutive transaction ids whose errors are collected rather than answered one by one. */
    private static final class XidRange {
        private final int first;
        private final int count;
        private final List<OpenFlowErrorException> errors = new CopyOnWriteArrayList<>();

        XidRange(int first, int count) {
            this.first = first;
            this.count = count;
        }

        boolean contains(int xid) {
            return Integer.toUnsignedLong(xid - first) < count;
        }

        void record(OpenFlowErrorException e) {
            errors.add(e);
        }

        Optional<Throwable> firstError() {
            if (errors.isEmpty()) {
                return Optional.empty();
            }
            OpenFlowErrorException head = errors.get(0);
            for (int i = 1; i < errors.size(); i++) {
                head.addSuppressed(errors.get(i));
            }
            return Optional.of(head);
        }
    }
}
