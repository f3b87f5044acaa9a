package io.netloom.openflow;

import io.netloom.openflow.protocol.ErrorMessage;
import io.netloom.openflow.protocol.FlowStatsReply;
import io.netloom.openflow.protocol.Frame;
import io.netloom.openflow.protocol.OpenFlowMessage;
import io.netloom.openflow.protocol.OpenFlowProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The transaction ids of one {@link OpenFlowChannel}: hands them out, matches each reply (or error) to the request
 * that carries its id, joins multipart replies, and collects the errors of blocks of fire-and-forget messages whose
 * outcome a barrier decides.
 */
final class Requests {
    private final String endpoint;
    private final BooleanSupplier closed;
    private final Supplier<OpenFlowConnectionException> closedError;
    private final AtomicInteger xids = new AtomicInteger(1);
    private final Map<Integer, Pending<?>> pending = new ConcurrentHashMap<>();
    private final Set<XidRange> ranges = ConcurrentHashMap.newKeySet();

    /**
     * @param endpoint the channel's endpoint, for messages
     * @param closed whether the channel is closed: a request registered then fails at once
     * @param closedError the exception such a request fails with
     */
    Requests(String endpoint, BooleanSupplier closed, Supplier<OpenFlowConnectionException> closedError) {
        this.endpoint = endpoint;
        this.closed = closed;
        this.closedError = closedError;
    }

    /** @return the next transaction id */
    int next() {
        return xids.getAndIncrement();
    }

    /** @return the first of {@code count} consecutive transaction ids */
    int reserve(int count) {
        return xids.getAndAdd(count);
    }

    /**
     * Waits for the answer to the message sent with {@code xid}.
     *
     * @return completes with the reply (multipart replies joined), or fails with {@link OpenFlowErrorException}
     */
    <R extends OpenFlowMessage> CompletableFuture<R> register(int xid, Class<R> replyType) {
        Pending<R> p = new Pending<>(xid, replyType);
        pending.put(xid, p);
        if (closed.getAsBoolean() && pending.remove(xid) != null) {
            p.future.completeExceptionally(closedError.get());
        }
        return p.future;
    }

    /** Fails the request with this id, if it waits. */
    void fail(int xid, Throwable error) {
        Pending<?> p = pending.remove(xid);
        if (p != null) {
            p.future.completeExceptionally(error);
        }
    }

    /** Fails every waiting request and forgets every block: the channel closed. */
    void failAll(Throwable error) {
        for (Integer xid : new ArrayList<>(pending.keySet())) {
            fail(xid, error);
        }
        ranges.clear();
    }

    /** Starts collecting the errors of the messages sent with ids {@code first} to {@code first + count - 1}. */
    XidRange collect(int first, int count) {
        XidRange range = new XidRange(first, count);
        ranges.add(range);
        return range;
    }

    /** Stops collecting for a block. */
    void forget(XidRange range) {
        ranges.remove(range);
    }

    /**
     * Hands a message to the request it answers, or an error to the block whose message caused it.
     *
     * @return whether the message was taken
     */
    boolean answer(Frame frame) {
        OpenFlowMessage message = frame.message();
        Pending<?> p = pending.get(frame.xid());
        if (p != null) {
            if (p.accept(message)) {
                pending.remove(frame.xid());
            }
            return true;
        }
        if (message instanceof ErrorMessage error) {
            for (XidRange r : ranges) {
                if (r.contains(frame.xid())) {
                    r.record(new OpenFlowErrorException(endpoint, frame.xid(), error));
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the cause inside the wrappers that futures add */
    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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
    static final class XidRange {
        private final int first;
        private final int count;
        private final List<OpenFlowErrorException> errors = new CopyOnWriteArrayList<>();

        private XidRange(int first, int count) {
            this.first = first;
            this.count = count;
        }

        boolean contains(int xid) {
            return Integer.toUnsignedLong(xid - first) < count;
        }

        void record(OpenFlowErrorException e) {
            errors.add(e);
        }

        /** @return the first error of the block, the later ones suppressed in it */
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
