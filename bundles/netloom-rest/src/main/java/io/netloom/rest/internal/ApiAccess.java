package io.netloom.rest.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.netloom.api.model.Caller;

/**
 * Decides whether a request may proceed: HTTP Basic credentials checked by an {@link Authenticator}, then the
 * role the method needs: {@value #ADMIN} may do everything, {@value #VIEWER} may read everything, {@value #USER}
 * may read and write the objects of the tenants its {@value #TENANT_ROLE_PREFIX}NAME roles name. Writes need a
 * role that writes somewhere; which objects a caller may change is decided per object by the model services.
 */
final class ApiAccess {

    static final String ADMIN = Caller.ADMIN_ROLE;
    static final String VIEWER = Caller.VIEWER_ROLE;
    static final String USER = Caller.USER_ROLE;
    static final String TENANT_ROLE_PREFIX = Caller.TENANT_ROLE_PREFIX;

    /** The outcome for one request. */
    sealed interface Decision {
        /** The caller may proceed. */
        record Allowed(String user, Set<String> roles) implements Decision {
        }

        /** The caller is refused with this status and error, to retry after so many seconds (0: no advice). */
        record Refused(int status, ApiError error, long retryAfterSeconds) implements Decision {
            Refused(int status, ApiError error) {
                this(status, error, 0);
            }
        }
    }

    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final Clock clock;

    ApiAccess(Authenticator authenticator, LoginThrottle throttle, Clock clock) {
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.clock = clock;
    }

    /**
     * @param method the HTTP method
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param source the client's address
     * @param via the interface, {@code rest} or {@code console}
     */
    Decision decide(String method, String authorization, String source, String via) {
        Optional<String[]> credentials = basicCredentials(authorization);
        if (credentials.isEmpty()) {
            return new Decision.Refused(401, ApiError.of("UNAUTHORIZED",
                    "Authentication required: use HTTP Basic with a Netloom user"));
        }
        String user = credentials.get()[0];
        Optional<LoginThrottle.Locked> locked = throttle.locked(user, source);
        if (locked.isPresent()) {
            // Answered at once, without trying the password: a guess during the lockout tells nothing.
            long seconds = locked.get().retryAfterSeconds(clock.instant());
            return new Decision.Refused(429, ApiError.of("LOGIN_LOCKED", "Too many failed logins for this "
                    + locked.get().reason() + ": try again in " + seconds + " s"), seconds);
        }
        Optional<Set<String>> roles = authenticator.authenticate(user, credentials.get()[1].toCharArray());
        if (roles.isEmpty()) {
            throttle.failed(user, source, via);
            return new Decision.Refused(401, ApiError.of("UNAUTHORIZED", "Wrong user name or password"));
        }
        throttle.succeeded(user, source);
        boolean read = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
        Set<String> has = roles.get();
        // A coarse gate only: the model services check each write against the tenant of what it changes.
        boolean permitted = read ? has.contains(ADMIN) || has.contains(USER) || has.contains(VIEWER)
                : Caller.of(user, has, "rest").writesAnywhere();
        if (!permitted) {
            String needed = read ? VIEWER + ", " + USER + " or " + ADMIN
                    : ADMIN + ", or " + USER + " with a " + TENANT_ROLE_PREFIX + "NAME role,";
            return new Decision.Refused(403, ApiError.of("FORBIDDEN",
                    "User '" + user + "' lacks the role " + needed + " needed for " + method));
        }
        return new Decision.Allowed(user, has);
    }

    private static Optional<String[]> basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    static boolean isBrowserScript(String requestedWith) {
        return requestedWith != null && requestedWith.toLowerCase(Locale.ROOT).equals("xmlhttprequest");
    }
}
