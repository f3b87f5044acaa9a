package io.netloom.openstack.internal;

import java.security.Principal;
import java.util.HashSet;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AccountLockedException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a password against Karaf's JAAS realm {@value #REALM}, the realm of the REST API and the SSH console. The
 * login is marked with the client kind {@value #CLIENT} and the caller's address, so the login guard Netloom puts in
 * front of that realm counts and throttles it like an SSH login (the REST API throttles its own logins before they
 * reach the realm): wrong passwords lock the user out at that address, then the address, then the user.
 */
final class RealmLogin {

    static final String REALM = "karaf";
    static final String CLIENT = "netloom-openstack";

    private static final Logger LOG = LoggerFactory.getLogger(RealmLogin.class);

    /** The outcome of a login. */
    sealed interface Outcome {
        /** The password is right; the user's roles. */
        record Accepted(Set<String> roles) implements Outcome {
        }

        /** Wrong user or password. */
        record Refused() implements Outcome {
        }

        /** Too many failures: refused without trying the password. */
        record Locked(String message) implements Outcome {
        }
    }

    Outcome login(String user, char[] password, String address) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal(CLIENT, address));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The realm's login modules are loaded through the proxy module's class loader, not this bundle's.
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(REALM, subject, callbacks -> {
                for (Callback callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pw) {
                        pw.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            login.login();
            Set<String> roles = new HashSet<>();
            for (Principal p : subject.getPrincipals(RolePrincipal.class)) {
                roles.add(p.getName());
            }
            return new Outcome.Accepted(roles);
        } catch (AccountLockedException e) {
            LOG.debug("Keystone login of '{}' refused: {}", user, e.getMessage());
            return new Outcome.Locked(e.getMessage());
        } catch (LoginException e) {
            LOG.debug("Keystone login of '{}' refused: {}", user, e.getMessage());
            return new Outcome.Refused();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
