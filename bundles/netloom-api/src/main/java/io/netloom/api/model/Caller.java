package io.netloom.api.model;

import java.util.Objects;

/**
 * Who asks, on whose behalf, and through which interface. Every model service call names its caller, so that
 * tenancy and the audit log never depend on hidden thread state.
 *
 * @param user the authenticated user name
 * @param tenant the tenant whose objects the caller sees and creates
 * @param allTenants whether the caller sees every tenant's objects (roles {@code netloom-admin} and
 *     {@code netloom-viewer}; a {@code netloom-user} sees its own tenant)
 * @param via the interface the request came through: {@code rest}, {@code shell}, {@code console} or {@code system}
 */
public record Caller(String user, String tenant, boolean allTenants, String via) {

    /**
     * Checks that no component is missing.
     */
    public Caller {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(via, "via");
    }

    /**
     * @param ownerTenant the tenant an object belongs to
     * @return whether this caller may see it
     */
    public boolean sees(String ownerTenant) {
        return allTenants || tenant.equals(ownerTenant);
    }

    /**
     * @return Netloom itself acting, seeing every tenant (expiry, reconciliation)
     */
    public static Caller system() {
        return new Caller("netloom", "system", true, "system");
    }
}
