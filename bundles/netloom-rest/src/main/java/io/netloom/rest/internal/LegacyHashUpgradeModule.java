package io.netloom.rest.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.modules.encryption.EncryptionSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A login module of {@link GuardedRealm}, just before Karaf's properties module and with its options: when the
 * login's password matches the user's old unsalted hash, the hash is replaced by the configured salted one (see
 * {@link LegacyHashes}), so that the properties module then accepts the login. It never decides a login itself.
 */
public class LegacyHashUpgradeModule implements LoginModule {

    private static final Logger SECURITY = LoggerFactory.getLogger(LoginThrottle.SECURITY_LOG);

    private CallbackHandler handler;
    private Map<String, ?> options;

    @Override
    public void initialize(Subject subject, CallbackHandler callbackHandler, Map<String, ?> sharedState,
            Map<String, ?> options) {
        this.handler = callbackHandler;
        this.options = options;
    }

    @Override
    public boolean login() throws LoginException {
        Object users = options.get("users");
        if (users == null || !LegacyHashes.configuredSalted(options.get("encryption.enabled"),
                options.get("encryption.algorithm"))) {
            return false;
        }
        Optional<PasswordLogin> login = PasswordLogin.of(handler);
        if (login.isEmpty()) {
            return false;
        }
        char[] password = login.get().password();
        try {
            EncryptionSupport encryption = new EncryptionSupport(options);
            if (LegacyHashes.upgrade(Path.of(users.toString()), login.get().user(), password, encryption::encrypt)) {
                SECURITY.info("Upgraded the unsalted password hash of user '{}' in {} to the configured salted form"
                        + " ({})", LoginThrottle.printable(login.get().user()), users,
                        options.get("encryption.algorithm"));
            }
        } catch (IOException | RuntimeException e) {
            // The login goes on against the old hash, which the salted configuration refuses: the operator sees why.
            SECURITY.error("Could not upgrade the unsalted password hash of user '{}' in {}",
                    LoginThrottle.printable(login.get().user()), users, e);
        } finally {
            Arrays.fill(password, '\0');
        }
        return false;
    }

    @Override
    public boolean commit() {
        return false;
    }

    @Override
    public boolean abort() {
        return false;
    }

    @Override
    public boolean logout() {
        return false;
    }
}
