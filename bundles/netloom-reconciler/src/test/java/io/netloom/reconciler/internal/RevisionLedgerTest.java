package io.netloom.reconciler.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.Test;

import io.netloom.api.realisation.NodeRealisation;

/**
 * {@link RevisionLedger}: a revision is realised once a pass covered it and no node it concerns lags; waiters are
 * told; a full pass that covers unheard revisions holds them back on the nodes that lag.
 */
public class RevisionLedgerTest {

    @Test
    public void aRevisionIsRealisedWhenEveryNodeItConcernsCaughtUp() {
        RevisionLedger ledger = new RevisionLedger();
        ledger.concerns(1, Set.of("node-ovs", "node-sim"));
        ledger.heard(1);
        CompletableFuture<Void> waiting = ledger.whenRealised(1);
        assertFalse(ledger.realised(1));

        ledger.settle(1, 1, Map.of("node-ovs", "", "node-sim", "switch not connected"));
        assertFalse("node-sim lags", ledger.realised(1));
        assertFalse(waiting.isDone());
        List<NodeRealisation> pending = ledger.pending(1);
        assertEquals(1, pending.size());
        assertEquals("node-sim", pending.get(0).node());
        assertEquals("switch not connected", pending.get(0).detail());

        ledger.settle(1, 1, Map.of("node-sim", ""));
        assertTrue(ledger.realised(1));
        assertTrue(waiting.isDone());
        assertEquals(List.of(), ledger.pending(1));
        assertTrue(ledger.whenRealised(1).isDone());
    }

    @Test
    public void aRevisionNoPassCoveredIsNotRealisedEvenWhenItConcernsNoNode() {
        RevisionLedger ledger = new RevisionLedger();
        ledger.heard(3);
        assertFalse(ledger.realised(3));
        assertEquals("not yet taken in", 0, ledger.pending(3).size());
        ledger.settle(3, 3, Map.of("node-sim", ""));
        assertTrue(ledger.realised(3));
        assertFalse(ledger.realised(4));
    }

    @Test
    public void aFullPassHoldsBackUnheardRevisionsOnALaggingNode() {
        RevisionLedger ledger = new RevisionLedger();
        ledger.settle(0, 0, Map.of("node-ovs", "", "node-sim", ""));
        // A full pass read the model up to revision 5, having heard of revisions up to 2 only; node-ovs lags.
        ledger.settle(5, 2, Map.of("node-ovs", "port not yet numbered", "node-sim", ""));
        for (long r = 3; r <= 5; r++) {
            assertFalse("revision " + r + " is held back", ledger.realised(r));
            assertEquals("node-ovs", ledger.pending(r).get(0).node());
        }
        ledger.settle(5, 5, Map.of("node-ovs", ""));
        assertTrue(ledger.realised(5));
        assertEquals(Set.of("node-ovs", "node-sim"), ledger.knownNodes());
        NodeRealisation ovs = ledger.nodes().get(0);
        assertEquals(5, ovs.realisedRevision());
        assertEquals(0, ovs.lag());
    }
}
