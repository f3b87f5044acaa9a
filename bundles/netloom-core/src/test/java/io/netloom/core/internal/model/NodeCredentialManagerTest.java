package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.netloom.api.ForbiddenException;
import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;
import io.netloom.api.model.NodeStatus;

public class NodeCredentialManagerTest {

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private final List<Node> known = new ArrayList<>(List.of(node("node-0000000000a1"), node("node-0000000000b2")));

    private static Node node(String id) {
        return new Node(id, id, "linuxbridge", "10.200.250.2", false, NodeStatus.UP, "", "", 0, 0, null,
                Instant.EPOCH);
    }

    private final NodeService nodes = new NodeService() {
        @Override
        public List<Node> nodes(Caller caller) {
            return known;
        }

        @Override
        public Node node(Caller caller, String idOrName) {
            return find(idOrName).orElseThrow(() -> new NotFoundException("NODE", idOrName));
        }

        @Override
        public Optional<Node> find(String id) {
            return known.stream().filter(n -> n.id().equals(id)).findFirst();
        }
    };

    private static final Caller ADMIN = Caller.of("admin", Set.of(Caller.ADMIN_ROLE), "rest");

    @Test
    public void aSecretAuthenticatesItsNodeOnlyAndIsStoredHashed() throws Exception {
        Path file = dir.getRoot().toPath().resolve("node-credentials");
        NodeCredentialManager credentials = new NodeCredentialManager(nodes, file);
        String a = credentials.issue(ADMIN, "node-0000000000a1");
        String b = credentials.issue(ADMIN, "node-0000000000b2");
        assertEquals(Optional.of("node-0000000000a1"), credentials.authenticate(a));
        assertEquals(Optional.of("node-0000000000b2"), credentials.authenticate(b));
        String stored = Files.readString(file);
        assertFalse("the secret itself is never stored", stored.contains(a.substring(a.lastIndexOf('.') + 1)));
        assertTrue(stored.contains(NodeCredentialManager.hash(a)));
        // A's id with B's random part, a truncated secret, garbage: refused.
        String forged = "nl1.node-0000000000a1." + b.substring(b.lastIndexOf('.') + 1);
        assertEquals(Optional.empty(), credentials.authenticate(forged));
        assertEquals(Optional.empty(), credentials.authenticate(a.substring(0, a.length() - 1)));
        assertEquals(Optional.empty(), credentials.authenticate("admin"));
        assertEquals(Optional.empty(), credentials.authenticate(null));
        // Kept across a restart.
        assertEquals(Optional.of("node-0000000000a1"), new NodeCredentialManager(nodes, file).authenticate(a));
    }

    @Test
    public void rotatingRevokesTheOldSecretAndRemovalRevokesTheNode() throws Exception {
        NodeCredentialManager credentials = new NodeCredentialManager(nodes,
                dir.getRoot().toPath().resolve("node-credentials"));
        String first = credentials.issue(ADMIN, "node-0000000000a1");
        String second = credentials.issue(ADMIN, "node-0000000000a1");
        assertNotEquals(first, second);
        assertEquals(Optional.empty(), credentials.authenticate(first));
        assertEquals(Optional.of("node-0000000000a1"), credentials.authenticate(second));
        known.remove(0);
        assertEquals("a node that is gone authenticates no more", Optional.empty(),
                credentials.authenticate(second));
        credentials.revoke("node-0000000000a1");
        assertEquals(Optional.empty(), credentials.authenticate(second));
    }

    @Test
    public void onlyAnAdministratorIssues() throws Exception {
        NodeCredentialManager credentials = new NodeCredentialManager(nodes,
                dir.getRoot().toPath().resolve("node-credentials"));
        Caller viewer = Caller.of("v", Set.of(Caller.VIEWER_ROLE), "rest");
        assertThrows(ForbiddenException.class, () -> credentials.issue(viewer, "node-0000000000a1"));
    }
}
