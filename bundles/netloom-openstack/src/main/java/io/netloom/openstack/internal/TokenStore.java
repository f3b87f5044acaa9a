package io.netloom.openstack.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

/**
 * The tokens issued by the Keystone subset: random (256 bits from {@link SecureRandom}), valid for
 * {@link #LIFETIME}, held in memory only, so a restart revokes every one. A token's text is never logged. The store
 * holds at most {@link #MAX_TOKENS}; past that the expired go first, then the oldest.
 */
@Component(service = TokenStore.class)
public class TokenStore {

    /** How long a token is accepted. */
    static final Duration LIFETIME = Duration.ofHours(1);
    /** The most tokens held at once. */
    static final int MAX_TOKENS = 10_000;

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    /** The store of the running bundle, on the system clock. */
    public TokenStore() {
        this(Clock.systemUTC());
    }

    TokenStore(Clock clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Issues a token.
     *
     * @return the token's text (what clients send as {@code X-Auth-Token})
     */
    String issue(Token token) {
        if (tokens.size() >= MAX_TOKENS) {
            makeRoom();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String text = "nlk" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(text, token);
        return text;
    }

    /**
     * @return the token with that text while it is valid; empty for an unknown, expired or missing one
     */
    Optional<Token> find(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Token token = tokens.get(text);
        if (token == null) {
            return Optional.empty();
        }
        if (!token.validAt(now())) {
            tokens.remove(text, token);
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /**
     * Revokes a token (Keystone's {@code DELETE /v3/auth/tokens}).
     *
     * @return whether it was valid
     */
    boolean revoke(String text) {
        return text != null && find(text).isPresent() && tokens.remove(text) != null;
    }

    private synchronized void makeRoom() {
        Instant now = now();
        tokens.entrySet().removeIf(e -> !e.getValue().validAt(now));
        while (tokens.size() >= MAX_TOKENS) {
            tokens.entrySet().stream().min(Comparator.comparing(e -> e.getValue().issuedAt()))
                    .ifPresent(oldest -> tokens.remove(oldest.getKey()));
        }
    }
}
