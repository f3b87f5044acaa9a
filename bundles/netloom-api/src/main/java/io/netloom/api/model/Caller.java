package io.netloom.api.model;

import java.util.Collection;
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

    /** Role that may read and write every tenant's objects. */
    public static final String ADMIN_ROLE = "netloom-admin";
    /** Role that may read every tenant's objects. */
    public static final String VIEWER_ROLE = "netloom-viewer";
    /** Prefix of a role naming the user's tenant: {@code netloom-tenant-NAME}. */
    public static final String TENANT_ROLE_PREFIX = "netloom-tenant-";

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
     * The caller of an authenticated user, the same for every interface.
     *
     * @param user the user name
     * @param roles the user's roles
     * @param via the interface
     * @return a caller whose tenant is named by a {@value #TENANT_ROLE_PREFIX}NAME role, else the user's name, and
     *     who sees every tenant with {@value #ADMIN_ROLE} or {@value #VIEWER_ROLE}
     */
    public static Caller of(String user, Collection<String> roles, String via) {
        return new Caller(user, tenantOf(user, roles), seesAllTenants(roles), via);
    }

    /**
     * @param roles a user's roles
     * @return whether they include {@value #ADMIN_ROLE} or {@value #VIEWER_ROLE}, which see every tenant
     */
    public static boolean seesAllTenants(Collection<String> roles) {
        return roles.contains(ADMIN_ROLE) || roles.contains(VIEWER_ROLE);
    }

    /**
     * @param user a user name
     * @param roles the user's roles
     * @return the tenant named by a {@value #TENANT_ROLE_PREFIX}NAME role, else the user's name
     */
    public static String tenantOf(String user, Collection<String> roles) {
        for (String role : roles) {
            if (role.startsWith(TENANT_ROLE_PREFIX) && role.length() > TENANT_ROLE_PREFIX.length()) {
                return role.substring(TENANT_ROLE_PREFIX.length());
            }
        }
        return user;
    }

    /**
     * @return Netloom itself acting, seeing every tenant (expiry, reconciliation)
     */
    public static Caller system() {
        return new Caller("netloom", "system", true, "system");
    }
}
