package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AccountLockedException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.boot.principal.ClientPrincipal;
import org.junit.Test;

public class GuardedRealmTest {

    private final MovableClock clock = new MovableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, LoginThrottle.Settings.DEFAULTS);

    private static AppConfigurationEntry karafEntry(String module) {
        Map<String, Object> options = new HashMap<>();
        options.put(ProxyLoginModule.PROPERTY_MODULE, module);
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, "7");
        options.put("users", "/etc/users.properties");
        options.put("encryption.algorithm", "bcrypt");
        return new AppConfigurationEntry(ProxyLoginModule.class.getName(), LoginModuleControlFlag.OPTIONAL, options);
    }

    @Test
    public void theGuardComesFirstAndTheUpgradeJustBeforeKarafsPropertiesModule() {
        AppConfigurationEntry properties = karafEntry(GuardedRealm.PROPERTIES_MODULE);
        AppConfigurationEntry keys = karafEntry("org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule");
        AppConfigurationEntry[] entries = GuardedRealm.entries(new AppConfigurationEntry[] {properties, keys}, "42",
                throttle);
        assertEquals(4, entries.length);
        assertEquals(LoginGuardModule.class.getName(), entries[0].getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals(LoginModuleControlFlag.REQUISITE, entries[0].getControlFlag());
        assertSame(throttle, entries[0].getOptions().get(GuardedRealm.THROTTLE_OPTION));
        assertEquals(LegacyHashUpgradeModule.class.getName(),
                entries[1].getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals("42", entries[1].getOptions().get(ProxyLoginModule.PROPERTY_BUNDLE));
        assertEquals("the properties module's settings", "/etc/users.properties", entries[1].getOptions().get("users"));
        assertEquals(LoginModuleControlFlag.OPTIONAL, entries[1].getControlFlag());
        assertSame(properties, entries[2]);
        assertSame(keys, entries[3]);
        assertEquals("Karaf's own entry is not changed", GuardedRealm.PROPERTIES_MODULE,
                properties.getOptions().get(ProxyLoginModule.PROPERTY_MODULE));
    }

    private static CallbackHandler password(String user, String password) {
        return callbacks -> {
            for (var c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        };
    }

    private static CallbackHandler publicKey(String user) {
        return callbacks -> {
            for (var c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        };
    }

    private LoginGuardModule guard(String via, String address, CallbackHandler handler) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new ClientPrincipal(via, address));
        LoginGuardModule module = new LoginGuardModule();
        module.initialize(subject, handler, new HashMap<>(), Map.of(GuardedRealm.THROTTLE_OPTION, throttle));
        return module;
    }

    /** One SSH login: the guard's part of it, with the realm's outcome {@code succeeded}. */
    private void sshLogin(String user, String address, boolean succeeded) throws Exception {
        LoginGuardModule module = guard("ssh", "/" + address + ":40000", password(user, "pw"));
        assertFalse("the guard never decides a login itself", module.login());
        if (succeeded) {
            module.commit();
        } else {
            module.abort();
        }
    }

    @Test
    public void sshLoginsAreCountedAndALockedOutOneIsRefusedUntried() throws Exception {
        for (int i = 0; i < 5; i++) {
            sshLogin("admin", "192.0.2.1", false);
        }
        assertEquals(5, throttle.failures());
        try {
            guard("ssh", "/192.0.2.1:40001", password("admin", "right")).login();
            fail("a locked-out login went on");
        } catch (AccountLockedException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("try again in 30 s"));
        }
        assertEquals("the refusal is not another failure", 5, throttle.failures());
        // The same user from another address logs in, and the pair's lockout passes.
        sshLogin("admin", "198.51.100.7", true);
        clock.advance(Duration.ofSeconds(30));
        sshLogin("admin", "192.0.2.1", true);
        assertEquals(Optional.empty(), throttle.locked("admin", "192.0.2.1"));
    }

    @Test
    public void restLoginsAndPublicKeysAreNotCountedHere() throws Exception {
        LoginGuardModule rest = guard(LoginGuardModule.REST, "api", password("admin", "wrong"));
        assertFalse(rest.login());
        rest.abort();
        LoginGuardModule key = guard("ssh", "/192.0.2.1:40000", publicKey("admin"));
        assertFalse(key.login());
        key.abort();
        assertEquals(0, throttle.failures());
        assertEquals(Set.of(), Set.copyOf(throttle.locked("admin", "192.0.2.1").stream().toList()));
    }
}
