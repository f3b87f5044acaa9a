package io.netloom.rest.internal;

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
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.auth.LoginOutcome;
import io.netloom.api.auth.RealmLogin;

/**
 * Logs in through Karaf's JAAS realm {@value GuardedRealm#REALM}, the same users and roles as the SSH console. The
 * login carries its client kind and address as a {@link ClientPrincipal}, which {@link LoginGuardModule} counts and
 * throttles by.
 */
@Component(service = RealmLogin.class)
public class JaasRealmLogin implements RealmLogin {

    private static final Logger LOG = LoggerFactory.getLogger(JaasRealmLogin.class);

    @Override
    public LoginOutcome login(String client, String address, String user, char[] password) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal(client, address));
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The realm's login modules are loaded through the proxy module's class loader, not this bundle's.
        thread.setContextClassLoader(ProxyLoginModule.class.getClassLoader());
        try {
            LoginContext login = new LoginContext(GuardedRealm.REALM, subject, callbacks -> {
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
            return new LoginOutcome.Accepted(roles);
        } catch (AccountLockedException e) {
            LOG.debug("Login of '{}' through {} refused: {}", user, client, e.getMessage());
            return new LoginOutcome.Locked(e.getMessage());
        } catch (LoginException e) {
            LOG.debug("Login of '{}' through {} refused: {}", user, client, e.getMessage());
            return new LoginOutcome.Refused();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
