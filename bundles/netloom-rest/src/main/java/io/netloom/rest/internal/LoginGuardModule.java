package io.netloom.rest.internal;

import java.util.Map;
import java.util.Optional;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.AccountLockedException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.ClientPrincipal;

/**
 * The first login module of {@link GuardedRealm}: refuses a password login that {@link LoginThrottle} has locked
 * out (so its password is not tried) and reports the outcome of every other one to it. Logins of the REST API are
 * left to {@link ApiAccess}, which throttles them before they get here (and answers 429); public-key logins are not
 * counted, as an SSH client offers several keys in turn and a key cannot be guessed.
 */
public class LoginGuardModule implements LoginModule {

    /** The client kind the REST API marks its logins with (see {@link ApiContext}). */
    static final String REST = "netloom-rest";

    private Subject subject;
    private CallbackHandler handler;
    private LoginThrottle throttle;
    private String user;
    private String source;
    private String via;
    private boolean counted;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.subject = subject;
        this.handler = callbackHandler;
        this.throttle = (LoginThrottle) options.get(GuardedRealm.THROTTLE_OPTION);
    }

    @Override
    public boolean login() throws LoginException {
        Optional<ClientPrincipal> client = subject.getPrincipals(ClientPrincipal.class).stream().findFirst();
        via = client.map(ClientPrincipal::getMethod).orElse("jaas");
        if (throttle == null || REST.equals(via)) {
            return false;
        }
        Optional<PasswordLogin> login = PasswordLogin.of(handler);
        if (login.isEmpty()) {
            return false;
        }
        user = login.get().user();
        source = client.map(ClientPrincipal::getAddress).orElse("local");
        Optional<LoginThrottle.Locked> locked = throttle.locked(user, source);
        if (locked.isPresent()) {
            throw new AccountLockedException("Too many failed logins for this " + locked.get().reason()
                    + ": try again in " + locked.get().retryAfterSeconds(throttle.now()) + " s");
        }
        counted = true;
        // Ignored in the realm's decision: the modules after this one check the password.
        return false;
    }

    @Override
    public boolean commit() {
        if (counted) {
            throttle.succeeded(user, source);
        }
        return false;
    }

    @Override
    public boolean abort() {
        if (counted) {
            throttle.failed(user, source, via);
            counted = false;
        }
        return false;
    }

    @Override
    public boolean logout() {
        return false;
    }
}
