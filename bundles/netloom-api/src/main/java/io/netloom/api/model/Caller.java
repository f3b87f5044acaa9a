package io.netloom.api.model;

import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.netloom.api.model.Permission.Action;

/**
 * Who asks, on whose behalf, through which interface, and what it may do. Every model service call names its
 * caller, so that tenancy, permissions and the audit log never depend on hidden thread state.
 * <p>
 * Permissions are (action, tenant scope) pairs computed from the caller's roles by {@link #of}: {@value #ADMIN_ROLE}
 * reads and writes everywhere, {@value #VIEWER_ROLE} reads everywhere, {@value #USER_ROLE} together with
 * {@value #TENANT_ROLE_PREFIX}NAME reads and writes in tenant NAME. Each role adds its own pairs, so reading
 * everywhere combined with writing in one tenant is exactly that: a write outside that tenant stays refused.
 *
 * @param user the authenticated user name
 * @param tenant the tenant in which the caller creates objects: the one named by its
 *     {@value #TENANT_ROLE_PREFIX}NAME role, {@value #ADMIN_TENANT} for an administrator without one, and
 *     {@value #NO_TENANT} (the empty string) for a caller that belongs to no tenant
 * @param permissions what the caller may do where
 * @param via the interface the request came through: {@code rest}, {@code shell}, {@code console} or {@code system}
 */
public record Caller(String user, String tenant, Set<Permission> permissions, String via) {

    /** Role that may read and write every tenant's objects. */
    public static final String ADMIN_ROLE = "netloom-admin";
    /** Role that may read every tenant's objects. */
    public static final String VIEWER_ROLE = "netloom-viewer";
    /** Role that may read and write the objects of the tenants named by the user's tenant roles. */
    public static final String USER_ROLE = "netloom-user";
    /** Prefix of a role naming a tenant of the user: {@code netloom-tenant-NAME}. */
    public static final String TENANT_ROLE_PREFIX = "netloom-tenant-";
    /** The tenant of objects created by an administrator that holds no tenant role. */
    public static final String ADMIN_TENANT = "admin";
    /** The tenant of a caller that belongs to none: no object belongs to it and nobody may write in it. */
    public static final String NO_TENANT = "";

    /**
     * Checks that no component is missing and keeps an unmodifiable copy of the permissions.
     */
    public Caller {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(via, "via");
        permissions = Set.copyOf(permissions);
    }

    /**
     * A caller that reads and writes either its own tenant or every tenant (tests, tools).
     *
     * @param user the user name
     * @param tenant its tenant
     * @param allTenants whether it reads and writes every tenant rather than its own
     * @param via the interface
     */
    public Caller(String user, String tenant, boolean allTenants, String via) {
        this(user, tenant, allTenants
                ? Set.of(Permission.everywhere(Action.READ), Permission.everywhere(Action.WRITE))
                : Set.of(Permission.in(Action.READ, tenant), Permission.in(Action.WRITE, tenant)), via);
    }

    /**
     * @param ownerTenant the tenant an object belongs to
     * @return whether this caller may see it
     */
    public boolean canRead(String ownerTenant) {
        return may(Action.READ, ownerTenant);
    }

    /**
     * @param ownerTenant the tenant an object belongs to (or, for a create, the tenant it will belong to)
     * @return whether this caller may create, change or delete it
     */
    public boolean canWrite(String ownerTenant) {
        return may(Action.WRITE, ownerTenant);
    }

    private boolean may(Action action, String ownerTenant) {
        if (ownerTenant == null || ownerTenant.equals(NO_TENANT)) {
            return false;
        }
        for (Permission p : permissions) {
            if (p.allows(action, ownerTenant)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether the caller may write in any tenant at all
     */
    public boolean writesAnywhere() {
        return permissions.stream().anyMatch(p -> p.action() == Action.WRITE);
    }

    /**
     * @return whether the caller writes in every tenant ({@value #ADMIN_ROLE}): what only an administrator may do,
     *     such as quarantining a port, asks for this
     */
    public boolean writesEverywhere() {
        return permissions.contains(Permission.everywhere(Action.WRITE));
    }

    /**
     * @param ownerTenant the tenant an object belongs to
     * @return whether this caller may see it (the same as {@link #canRead})
     */
    public boolean sees(String ownerTenant) {
        return canRead(ownerTenant);
    }

    /**
     * @return whether the caller reads every tenant's objects
     */
    public boolean allTenants() {
        return permissions.contains(Permission.everywhere(Action.READ));
    }

    /**
     * The caller of an authenticated user, the same for every interface.
     *
     * @param user the user name
     * @param roles the user's roles
     * @param via the interface
     * @return a caller with the permissions its roles grant; its tenant is the first (in alphabetical order)
     *     named by a {@value #TENANT_ROLE_PREFIX}NAME role, never derived from the user's name
     */
    public static Caller of(String user, Collection<String> roles, String via) {
        Set<Permission> permissions = new HashSet<>();
        if (roles.contains(ADMIN_ROLE)) {
            permissions.add(Permission.everywhere(Action.READ));
            permissions.add(Permission.everywhere(Action.WRITE));
        }
        if (roles.contains(VIEWER_ROLE)) {
            permissions.add(Permission.everywhere(Action.READ));
        }
        Set<String> tenants = tenantsOf(roles);
        if (roles.contains(USER_ROLE)) {
            for (String t : tenants) {
                permissions.add(Permission.in(Action.READ, t));
                permissions.add(Permission.in(Action.WRITE, t));
            }
        }
        String tenant = tenants.isEmpty() ? (roles.contains(ADMIN_ROLE) ? ADMIN_TENANT : NO_TENANT)
                : tenants.iterator().next();
        return new Caller(user, tenant, permissions, via);
    }

    /**
     * @param roles a user's roles
     * @return whether they include {@value #ADMIN_ROLE} or {@value #VIEWER_ROLE}, which see every tenant
     */
    public static boolean seesAllTenants(Collection<String> roles) {
        return roles.contains(ADMIN_ROLE) || roles.contains(VIEWER_ROLE);
    }

    /**
     * @param user a user name; not used: a user's name never names a tenant
     * @param roles the user's roles
     * @return the tenant in which a caller with these roles creates objects (see {@link #tenant()})
     * @deprecated use {@link #of} and {@link #tenant()}
     */
    @Deprecated
    public static String tenantOf(String user, Collection<String> roles) {
        return of(user, roles, "system").tenant();
    }

    private static Set<String> tenantsOf(Collection<String> roles) {
        Set<String> tenants = new TreeSet<>();
        for (String role : roles) {
            if (role.startsWith(TENANT_ROLE_PREFIX) && role.length() > TENANT_ROLE_PREFIX.length()) {
                tenants.add(role.substring(TENANT_ROLE_PREFIX.length()));
            }
        }
        return tenants;
    }

    /**
     * @return Netloom itself acting, reading and writing every tenant (expiry, reconciliation)
     */
    public static Caller system() {
        return new Caller("netloom", "system", true, "system");
    }
}
