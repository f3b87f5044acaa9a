package io.netloom.api.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing a caller may do: an action in a tenant scope. A caller's permissions are computed from its roles for
 * each request (see {@link Caller#of}); each permission stands on its own, so that a role granting one action
 * everywhere never widens another action granted in one tenant only.
 *
 * @param action what the caller may do
 * @param tenant the tenant where it may, or empty for every tenant
 */
public record Permission(Action action, Optional<String> tenant) {

    /** What a permission allows. */
    public enum Action {
        /** See objects: list, show, explain, audit. */
        READ,
        /** Create, change and delete objects. */
        WRITE
    }

    /**
     * Checks that no component is missing.
     */
    public Permission {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(tenant, "tenant");
    }

    /**
     * @param action the action
     * @return the permission to take it in every tenant
     */
    public static Permission everywhere(Action action) {
        return new Permission(action, Optional.empty());
    }

    /**
     * @param action the action
     * @param tenant the tenant
     * @return the permission to take it in that tenant only
     */
    public static Permission in(Action action, String tenant) {
        return new Permission(action, Optional.of(tenant));
    }

    /**
     * @param wanted the action asked for
     * @param ownerTenant the tenant of the object acted on
     * @return whether this permission allows that action on that object
     */
    public boolean allows(Action wanted, String ownerTenant) {
        return action == wanted && tenant.map(t -> t.equals(ownerTenant)).orElse(true);
    }
}
