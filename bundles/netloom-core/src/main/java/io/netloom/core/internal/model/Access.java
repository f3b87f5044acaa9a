package io.netloom.core.internal.model;

import io.netloom.api.ForbiddenException;
import io.netloom.api.model.Caller;

/**
 * The write checks every model manager makes. Managers find objects among those the caller may read (an object it
 * cannot read is not found: 404), then check the write here (an object it reads but may not change: 403).
 */
final class Access {

    private Access() {
    }

    /**
     * @throws ForbiddenException unless the caller may write in the tenant that owns the object
     */
    static <T> T requireWrite(Caller caller, Kind<T> kind, T object) {
        String tenant = kind.tenant().apply(object);
        if (!caller.canWrite(tenant)) {
            throw new ForbiddenException("User '" + caller.user() + "' may not change " + kind.noun() + " "
                    + kind.id().apply(object) + " of tenant '" + tenant + "': writing there needs "
                    + Caller.ADMIN_ROLE + ", or " + Caller.USER_ROLE + " with " + Caller.TENANT_ROLE_PREFIX + tenant);
        }
        return object;
    }

    /**
     * @throws ForbiddenException unless the caller may create objects in its own tenant
     */
    static void requireCreate(Caller caller, String noun) {
        if (!caller.canWrite(caller.tenant())) {
            String why = caller.tenant().equals(Caller.NO_TENANT) ? "belongs to no tenant"
                    : "may not write in its tenant '" + caller.tenant() + "'";
            throw new ForbiddenException("User '" + caller.user() + "' " + why + " and so cannot create a " + noun
                    + ": creating needs " + Caller.USER_ROLE + " with a " + Caller.TENANT_ROLE_PREFIX
                    + "NAME role, or " + Caller.ADMIN_ROLE);
        }
    }
}
