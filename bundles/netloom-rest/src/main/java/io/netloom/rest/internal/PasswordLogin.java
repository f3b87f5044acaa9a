package io.netloom.rest.internal;

import java.io.IOException;
import java.util.Optional;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginException;

/**
 * The user name and password of a JAAS login, for Netloom's login modules.
 *
 * @param user the user name
 * @param password the password
 */
record PasswordLogin(String user, char[] password) {

    /**
     * @return the login's user and password; empty for a login without a password (an SSH public key)
     * @throws LoginException when the callback handler fails
     */
    static Optional<PasswordLogin> of(CallbackHandler handler) throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (UnsupportedCallbackException e) {
            return Optional.empty();
        } catch (IOException e) {
            LoginException failure = new LoginException("The login's credentials could not be read");
            failure.initCause(e);
            throw failure;
        }
        char[] secret = password.getPassword();
        password.clearPassword();
        return name.getName() == null || secret == null ? Optional.empty()
                : Optional.of(new PasswordLogin(name.getName(), secret));
    }
}
