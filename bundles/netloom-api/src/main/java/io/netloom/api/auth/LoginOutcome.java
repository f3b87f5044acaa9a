package io.netloom.api.auth;

import java.util.Objects;
import java.util.Set;

/**
 * The outcome of a {@link RealmLogin#login login}.
 */
public sealed interface LoginOutcome {

    /**
     * The password is right.
     *
     * @param roles the user's roles
     */
    record Accepted(Set<String> roles) implements LoginOutcome {

        /** Freezes the roles. */
        public Accepted {
            roles = Set.copyOf(roles);
        }
    }

    /** A wrong user or password. */
    record Refused() implements LoginOutcome {
    }

    /**
     * Too many failures: refused without trying the password.
     *
     * @param message what the guard said, for the caller
     */
    record Locked(String message) implements LoginOutcome {

        /** Checks the message. */
        public Locked {
            Objects.requireNonNull(message, "message");
        }
    }
}
