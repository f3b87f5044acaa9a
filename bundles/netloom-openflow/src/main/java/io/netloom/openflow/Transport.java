package io.netloom.openflow;

import io.netloom.openflow.protocol.Frame;
import io.netloom.openflow.protocol.OpenFlowCodec;
import io.netloom.openflow.protocol.OpenFlowMessage;
import io.netloom.openflow.protocol.OpenFlowProtocolException;
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
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket of one {@link OpenFlowChannel}: its I/O thread reads and frames what the switch sends and hands each
 * message to a {@link Receiver}; writes are queued heap buffers, written with gathering writes as fast as the switch
 * reads, never blocking a caller on the socket (bulk writers wait only above a high-water mark). It also keeps the
 * time of the switch's last sign of life: a message received, or progress reading a backlog queued for it.
 */
final class Transport {
    private static final Logger LOG = LoggerFactory.getLogger(Transport.class);
    private static final int CHUNK_BYTES = 256 * 1024;
    private static final int READ_BUFFER_BYTES = 256 * 1024;
    private static final long HIGH_WATER_BYTES = 4L * 1024 * 1024;
    private static final int GATHER_MAX = 64;

    /** Where the I/O thread delivers what it reads, and reports a broken connection. */
    interface Receiver {
        /** @param frame a message the switch sent, with its transaction id */
        void received(Frame frame);

        /** @param cause why the connection is unusable; the transport does not close itself */
        void failed(OpenFlowConnectionException cause);
    }

    private final String endpoint;
    private final SocketChannel socket;
    private final Selector selector;
    private final SelectionKey key;
    private final Thread ioThread;
    private final AtomicBoolean closed;
    private final Receiver receiver;
    private final Supplier<OpenFlowConnectionException> closedError;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Condition drained = writeLock.newCondition();
    private final ArrayDeque<ByteBuffer> outQueue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean writeInterest;
    private volatile long lastSignOfLifeNanos = System.nanoTime();

    /**
     * @param endpoint the endpoint, for names and messages
     * @param socket the connected socket
     * @param closed the channel's closed flag: the I/O thread ends and writes are refused once it is set
     * @param receiver gets what the switch sends and hears of failures
     * @param closedError the exception a write after closing fails with
     */
    Transport(String endpoint, SocketChannel socket, AtomicBoolean closed, Receiver receiver,
            Supplier<OpenFlowConnectionException> closedError) throws IOException {
        this.endpoint = endpoint;
        this.socket = socket;
        this.closed = closed;
        this.receiver = receiver;
        this.closedError = closedError;
        socket.configureBlocking(false);
        this.selector = Selector.open();
        this.key = socket.register(selector, SelectionKey.OP_READ);
        this.ioThread = new Thread(this::ioLoop, "openflow-" + endpoint);
        this.ioThread.setDaemon(true);
    }

    /**
     * Opens a socket to the endpoint.
     *
     * @param endpoint {@code unix:PATH} or {@code tcp:HOST:PORT} ({@code tcp:[::1]:6653} for IPv6)
     * @param connectTimeout time allowed for a TCP connect
     * @throws IllegalArgumentException when the endpoint is malformed
     */
    static SocketChannel open(String endpoint, Duration connectTimeout) throws IOException {
        SocketChannel sc = null;
        try {
            if (endpoint.startsWith("unix:")) {
                sc = SocketChannel.open(StandardProtocolFamily.UNIX);
                sc.connect(UnixDomainSocketAddress.of(endpoint.substring(5)));
            } else if (endpoint.startsWith("tcp:")) {
                SocketAddress address = tcpAddress(endpoint);
                sc = SocketChannel.open();
                sc.socket().connect(address, (int) connectTimeout.toMillis());
                sc.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } else {
                throw new IllegalArgumentException("endpoint must be unix:PATH or tcp:HOST:PORT, not " + endpoint);
            }
            return sc;
        } catch (IOException | RuntimeException e) {
            closeQuietly(sc, endpoint);
            throw e;
        }
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

    static void closeQuietly(SocketChannel sc, String endpoint) {
        if (sc != null) {
            try {
                sc.close();
            } catch (IOException e) {
                LOG.debug("closing the connection to {} failed", endpoint, e);
            }
        }
    }

    /**
     * Rejects, before anything is sent, a message that would not fit the 16-bit OpenFlow length field.
     *
     * @param overhead bytes each message gains when wrapped (0 when sent as it is)
     * @throws IllegalArgumentException naming the first message that is too long
     */
    static void checkLengths(List<? extends OpenFlowMessage> messages, int overhead) {
        for (int i = 0; i < messages.size(); i++) {
            int length = OpenFlowCodec.encodedLength(messages.get(i)) + overhead;
            if (length > 0xffff) {
                throw new IllegalArgumentException("message " + i + " would be " + length
                        + " bytes; OpenFlow messages are limited to 65535");
            }
        }
    }

    /** Starts the I/O thread. */
    void start() {
        ioThread.start();
    }

    /** @return nanoseconds since the switch last sent anything or made progress reading what was queued for it */
    long silentNanos() {
        return System.nanoTime() - lastSignOfLifeNanos;
    }

    /** Sends one message, without backpressure. */
    void send(OpenFlowMessage message, int xid) throws OpenFlowConnectionException {
        enqueue(ByteBuffer.wrap(OpenFlowCodec.encode(message, xid)), false);
    }

    /** @return a writer that encodes many messages into shared chunks and queues them with backpressure */
    BatchWriter batch() {
        return new BatchWriter();
    }

    /**
     * Queues a buffer and writes as much as the socket takes now; the I/O thread writes the rest when the socket
     * becomes writable.
     *
     * @param backpressure whether to wait while more than the high-water mark is queued (never on the I/O thread)
     */
    private void enqueue(ByteBuffer buffer, boolean backpressure) throws OpenFlowConnectionException {
        IOException failure = null;
        writeLock.lock();
        try {
            if (closed.get()) {
                throw closedError.get();
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
                    throw closedError.get();
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
            receiver.failed(e);
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
                receiver.failed(failure);
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
                receiver.received(OpenFlowCodec.decode(in));
            }
            in.compact();
        }
        return n >= 0;
    }

    /**
     * Closes the socket and drops what is queued; call after setting the closed flag. Waiters for queue space wake
     * up and fail.
     */
    void close() {
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
    }

    /** Waits (up to 5 s) for the I/O thread to end, unless called on it. */
    void joinIoThread() {
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
    final class BatchWriter {
        private ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES);

        private BatchWriter() {
        }

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
}
