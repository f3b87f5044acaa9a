package io.netloom.shell.internal;

import java.security.AccessController;
import java.security.Principal;
import java.util.HashSet;
import java.util.Set;

import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;

import io.netloom.api.model.Caller;

/**
 * The caller of a shell command, from the session's login.
 */
public final class Callers {

    static final String ADMIN = "netloom-admin";
    static final String VIEWER = "netloom-viewer";
    static final String TENANT_ROLE_PREFIX = "netloom-tenant-";

    private Callers() {
    }

    /**
     * @return who runs the current command: a {@value #TENANT_ROLE_PREFIX}NAME role names the tenant, else the
     *     user's name; {@value #ADMIN} and {@value #VIEWER} see every tenant
     */
    @SuppressWarnings("removal")
    public static Caller current() {
        Subject subject = Subject.getSubject(AccessController.getContext());
        String user = "karaf";
        Set<String> roles = new HashSet<>();
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p instanceof UserPrincipal) {
                    user = p.getName();
                } else if (p instanceof RolePrincipal) {
                    roles.add(p.getName());
                }
            }
        }
        String tenant = user;
        for (String role : roles) {
            if (role.startsWith(TENANT_ROLE_PREFIX) && role.length() > TENANT_ROLE_PREFIX.length()) {
                tenant = role.substring(TENANT_ROLE_PREFIX.length());
            }
        }
        return new Caller(user, tenant, roles.contains(ADMIN) || roles.contains(VIEWER), "shell");
    }
}
