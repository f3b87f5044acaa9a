package io.netloom.core.internal.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.agent.NodeCredentialService;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;
import io.netloom.core.internal.PrivateFiles;

/**
 * Per-node credentials. A secret is {@code nl1.NODEID.RANDOM} (256 random bits, URL-safe base64): the node id lets
 * the controller find the one hash to compare, the random part is the secret. Only its SHA-256 hash is kept (in
 * {@code data/netloom/node-credentials}, mode 0600): with 256 random bits a salted slow hash adds nothing, and a
 * comparison costs microseconds, so an agent's every request can carry it. A secret is never logged.
 */
@Component(service = NodeCredentialService.class)
public class NodeCredentialManager implements NodeCredentialService {

    static final String PREFIX = "nl1.";
    private static final Logger LOG = LoggerFactory.getLogger(NodeCredentialManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Reference
    private NodeService nodes;

    private Path file;
    private final Properties hashes = new Properties();

    /** Used by the component runtime. */
    public NodeCredentialManager() {
    }

    /** For tests: credentials kept in a file, for the nodes a service knows. */
    NodeCredentialManager(NodeService nodes, Path file) throws IOException {
        this.nodes = nodes;
        load(file);
    }

    @Activate
    void activate(BundleContext context) throws IOException {
        String data = context.getProperty("karaf.data");
        Path dir = Path.of(data == null ? "data" : data, "netloom");
        PrivateFiles.directory(dir);
        load(dir.resolve("node-credentials"));
    }

    private synchronized void load(Path path) throws IOException {
        file = path;
        PrivateFiles.file(path);
        try (InputStream in = Files.newInputStream(path)) {
            hashes.load(in);
        }
    }

    @Override
    public String issue(Caller caller, String idOrName) {
        if (!caller.writesEverywhere()) {
            throw new ForbiddenException("User '" + caller.user() + "' may not issue node credentials: only "
                    + "netloom-admin may");
        }
        Node node = nodes.node(caller, idOrName);
        if (node.local()) {
            throw new ConflictException("LOCAL_NODE", "Node " + node.id() + " is the controller's own node: it has "
                    + "no agent and no credential", null);
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + node.id() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        synchronized (this) {
            hashes.setProperty(node.id(), hash(secret));
            save();
        }
        LOG.info("A new credential was issued for node {} ({}); any earlier one is revoked", node.name(), node.id());
        return secret;
    }

    @Override
    public Optional<String> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = secret.indexOf('.', PREFIX.length());
        if (dot < 0) {
            return Optional.empty();
        }
        String node = secret.substring(PREFIX.length(), dot);
        String stored;
        synchronized (this) {
            stored = hashes.getProperty(node);
        }
        if (stored == null || !MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII),
                hash(secret).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        // Fail closed: a node removed since is no node.
        return nodes.find(node).filter(n -> !n.local()).map(Node::id);
    }

    @Override
    public void revoke(String node) {
        synchronized (this) {
            if (hashes.remove(node) != null) {
                save();
                LOG.info("The credential of node {} is revoked", node);
            }
        }
    }

    private void save() {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            PrivateFiles.file(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                hashes.store(out, "Netloom node credentials: SHA-256 of each node's secret");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("The node credentials could not be saved", e);
        }
    }

    static String hash(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
