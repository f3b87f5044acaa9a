package io.netloom.openflow;

import io.netloom.openflow.protocol.BarrierReply;
import io.netloom.openflow.protocol.BarrierRequest;
import io.netloom.openflow.protocol.BundleAdd;
import io.netloom.openflow.protocol.BundleControl;
import io.netloom.openflow.protocol.FlowMod;
import io.netloom.openflow.protocol.OpenFlowProtocolException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All-or-nothing flow changes over one {@link OpenFlowChannel}, as ONF bundles (OpenFlow 1.3 experimenter extension
 * EXT-230, flags {@code ATOMIC | ORDERED}): open, one bundle-add per flow mod streamed without waiting, a barrier,
 * then commit — or discard when the barrier shows that the open or an add was rejected.
 */
final class BundleTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(BundleTransactions.class);
    /** Experimenter header (16 bytes) and bundle id, pad and flags (8 bytes) around a bundled message. */
    private static final int BUNDLE_ADD_OVERHEAD = 24;
    private static final int FLAGS = BundleControl.ATOMIC | BundleControl.ORDERED;

    private final String endpoint;
    private final Transport transport;
    private final Requests requests;
    private final BooleanSupplier open;
    private final AtomicInteger bundleIds = new AtomicInteger(1);

    BundleTransactions(String endpoint, Transport transport, Requests requests, BooleanSupplier open) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.requests = requests;
        this.open = open;
    }

    /** See {@link OpenFlowChannel#atomically}. */
    CompletableFuture<Void> apply(List<FlowMod> flowMods) {
        Transport.checkLengths(flowMods, BUNDLE_ADD_OVERHEAD);
        if (flowMods.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        int n = flowMods.size();
        int bundleId = bundleIds.getAndIncrement();
        int openXid = requests.reserve(n + 3);
        int barrierXid = openXid + 1 + n;
        int finishXid = barrierXid + 1;
        Requests.XidRange adds = requests.collect(openXid + 1, n);
        CompletableFuture<BundleControl> opened = requests.register(openXid, BundleControl.class);
        CompletableFuture<BarrierReply> barrier = requests.register(barrierXid, BarrierReply.class);
        CompletableFuture<Void> result = new CompletableFuture<>();
        barrier.whenComplete((reply, failure) -> {
            Optional<Throwable> error = failure != null ? Optional.of(Requests.unwrap(failure))
                    : opened.isCompletedExceptionally()
                            ? Optional.of(Requests.unwrap(opened.handle((r, t) -> t).join()))
                    : adds.firstError();
            if (error.isPresent()) {
                requests.forget(adds);
                discard(bundleId, finishXid);
                result.completeExceptionally(error.get());
            } else {
                commit(bundleId, finishXid, adds, result);
            }
        });
        try {
            Transport.BatchWriter writer = transport.batch();
            writer.add(new BundleControl(bundleId, BundleControl.OPEN_REQUEST, FLAGS), openXid);
            for (int i = 0; i < n; i++) {
                writer.add(new BundleAdd(bundleId, FLAGS, flowMods.get(i)), openXid + 1 + i);
            }
            writer.add(new BarrierRequest(), barrierXid);
            writer.finish();
        } catch (OpenFlowConnectionException e) {
            requests.fail(openXid, e);
            requests.fail(barrierXid, e);
        }
        return result;
    }

    private void commit(int bundleId, int xid, Requests.XidRange adds, CompletableFuture<Void> result) {
        CompletableFuture<BundleControl> committed = requests.register(xid, BundleControl.class);
        committed.whenComplete((reply, failure) -> {
            requests.forget(adds);
            Optional<Throwable> inner = adds.firstError();
            if (failure == null && inner.isEmpty() && reply.controlType() == BundleControl.COMMIT_REPLY) {
                result.complete(null);
                return;
            }
            Throwable error = inner.orElseGet(() -> failure != null ? Requests.unwrap(failure)
                    : new OpenFlowProtocolException("unexpected bundle control type " + reply.controlType()
                            + " in reply to commit of bundle " + bundleId));
            if (failure != null && inner.isPresent()) {
                error.addSuppressed(Requests.unwrap(failure));
            }
            result.completeExceptionally(error);
        });
        send(new BundleControl(bundleId, BundleControl.COMMIT_REQUEST, FLAGS), xid);
    }

    private void discard(int bundleId, int xid) {
        CompletableFuture<BundleControl> discarded = requests.register(xid, BundleControl.class);
        discarded.whenComplete((reply, failure) -> {
            if (failure != null && open.getAsBoolean()) {
                LOG.warn("discarding bundle {} on {} failed: {}", bundleId, endpoint, failure.getMessage());
            }
        });
        send(new BundleControl(bundleId, BundleControl.DISCARD_REQUEST, FLAGS), xid);
    }

    private void send(BundleControl control, int xid) {
        try {
            transport.send(control, xid);
        } catch (OpenFlowConnectionException e) {
            requests.fail(xid, e);
        }
    }
}
