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

    private Callers() {
    }

    /**
     * @return who runs the current command (see {@link Caller#of})
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
        return Caller.of(user, roles, "shell");
    }
}
