package io.netloom.rest.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers successful logins for a short while, so that a client sending HTTP Basic credentials with every request
 * pays for the salted, deliberately slow password hash (bcrypt) once per {@link #TTL}, not on every request.
 * Only a keyed digest of user and password is kept (SHA-256 under a random key made at start), never the password;
 * failed logins are never remembered. A changed password or role takes effect within {@link #TTL}.
 */
final class RecentLogins implements Authenticator {

    static final Duration TTL = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 1000;

    private record Entry(Set<String> roles, Instant expires) {
    }

    private final Authenticator delegate;
    private final Clock clock;
    private final byte[] key = new byte[32];
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    RecentLogins(Authenticator delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    @Override
    public Optional<Set<String>> authenticate(String user, char[] password) {
        String digest = digest(user, password);
        Instant now = clock.instant();
        Entry known = entries.get(digest);
        if (known != null && known.expires().isAfter(now)) {
            return Optional.of(known.roles());
        }
        Optional<Set<String>> roles = delegate.authenticate(user, password);
        if (roles.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.values().removeIf(e -> !e.expires().isAfter(now));
                if (entries.size() >= MAX_ENTRIES) {
                    entries.clear();
                }
            }
            entries.put(digest, new Entry(Set.copyOf(roles.get()), now.plus(TTL)));
        } else {
            entries.remove(digest);
        }
        return roles;
    }

    private String digest(String user, char[] password) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key);
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            byte[] raw = new byte[bytes.remaining()];
            bytes.get(raw);
            sha.update(raw);
            Arrays.fill(raw, (byte) 0);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
