package io.netloom.openstack.internal;

import java.time.Instant;
import java.util.Set;

import io.netloom.api.model.Caller;

/**
 * An issued Keystone token: who it stands for and until when.
 *
 * @param user the user of the realm
 * @param project the project (Netloom tenant) it is scoped to
 * @param roles the Keystone role names it carries ({@code reader}, {@code member}, {@code admin})
 * @param caller what a request with it may do in the model
 * @param issuedAt when it was issued
 * @param expiresAt when it stops being accepted
 */
record Token(String user, String project, Set<String> roles, Caller caller, Instant issuedAt, Instant expiresAt) {

    Token {
        roles = Set.copyOf(roles);
    }

    /**
     * @return whether the token is accepted at that time
     */
    boolean validAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /**
     * @return whether the token carries Keystone's {@code admin} role (Netloom's {@code netloom-admin})
     */
    boolean admin() {
        return roles.contains("admin");
    }
}
