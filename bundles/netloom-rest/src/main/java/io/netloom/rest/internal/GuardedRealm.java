package io.netloom.rest.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Karaf's JAAS realm {@value #REALM} with Netloom's login defences in front, so that every login through it (the
 * SSH console, JMX) is throttled like the REST API's: it takes the place of Karaf's own realm by ranking above it
 * (Karaf uses the realm of a name with the highest rank) and holds the same login modules with the same options,
 * read from Karaf's realm at every login, preceded by
 * <ul>
 * <li>{@link LoginGuardModule} (requisite): a login refused by {@link LoginThrottle} ends there, its password
 * untried; the outcome of every other password login is counted;</li>
 * <li>{@link LegacyHashUpgradeModule} (optional, before Karaf's properties module): an old unsalted hash in
 * {@code etc/users.properties} is replaced by the configured salted one when the password matches it.</li>
 * </ul>
 * User management ({@code jaas:realm-manage --realm karaf}) finds Karaf's properties module in it as before.
 */
@Component(service = JaasRealm.class, property = GuardedRealm.MARKER + "=true")
public class GuardedRealm implements JaasRealm {

    static final String REALM = "karaf";
    /** Above Karaf's own realm of that name (0). */
    static final int RANK = 1;
    static final String MARKER = "io.netloom.guarded";
    /** The option that hands the login modules the throttle. */
    static final String THROTTLE_OPTION = "io.netloom.throttle";
    static final String PROPERTIES_MODULE = "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule";

    @Reference
    private LoginThrottle throttle;

    private final List<JaasRealm> realms = new CopyOnWriteArrayList<>();
    private String bundleId;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            target = "(!(" + MARKER + "=true))")
    void addRealm(JaasRealm realm) {
        realms.add(realm);
    }

    void removeRealm(JaasRealm realm) {
        realms.remove(realm);
    }

    @Activate
    void activate(BundleContext context) {
        bundleId = Long.toString(context.getBundle().getBundleId());
    }

    @Override
    public String getName() {
        return REALM;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        AppConfigurationEntry[] wrapped = List.copyOf(realms).stream().filter(r -> REALM.equals(r.getName()))
                .max(Comparator.comparingInt(JaasRealm::getRank)).map(JaasRealm::getEntries)
                .orElse(new AppConfigurationEntry[0]);
        return entries(wrapped, bundleId, throttle);
    }

    /**
     * @return the guard, then the wrapped realm's entries, with the hash upgrade before its properties module
     */
    static AppConfigurationEntry[] entries(AppConfigurationEntry[] wrapped, String bundleId, LoginThrottle throttle) {
        List<AppConfigurationEntry> entries = new ArrayList<>();
        Map<String, Object> guard = new HashMap<>();
        guard.put(THROTTLE_OPTION, throttle);
        entries.add(entry(LoginGuardModule.class, bundleId, guard, LoginModuleControlFlag.REQUISITE));
        for (AppConfigurationEntry e : wrapped) {
            if (PROPERTIES_MODULE.equals(e.getOptions().get(ProxyLoginModule.PROPERTY_MODULE))) {
                // The same users file and encryption settings as the module that will check the password.
                entries.add(entry(LegacyHashUpgradeModule.class, bundleId, new HashMap<>(e.getOptions()),
                        LoginModuleControlFlag.OPTIONAL));
            }
            entries.add(e);
        }
        return entries.toArray(new AppConfigurationEntry[0]);
    }

    private static AppConfigurationEntry entry(Class<?> module, String bundleId, Map<String, Object> options,
            LoginModuleControlFlag flag) {
        options.put(ProxyLoginModule.PROPERTY_MODULE, module.getName());
        options.put(ProxyLoginModule.PROPERTY_BUNDLE, bundleId);
        return new AppConfigurationEntry(ProxyLoginModule.class.getName(), flag, options);
    }
}
