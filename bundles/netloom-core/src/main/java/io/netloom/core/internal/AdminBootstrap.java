package io.netloom.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the first start of a distribution, creates the {@code admin} user (see {@link AdminCredentials}) and its local
 * console key (see {@link ClientKey}).
 */
@Component(immediate = true, service = {})
public class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    @Activate
    void activate(BundleContext context) throws IOException {
        String etc = context.getProperty("karaf.etc");
        String data = context.getProperty("karaf.data");
        if (etc == null || data == null) {
            LOG.warn("Not running in Karaf (karaf.etc/karaf.data unset): no admin user created");
            return;
        }
        // Netloom's data (the store with every tenant's objects and the audit log, credentials) is its own: the
        // directory and the users file are narrowed at every start, which also mends older installations.
        PrivateFiles.directory(Path.of(data, "netloom"));
        PrivateFiles.narrowIfExists(Path.of(etc, "users.properties"));
        Path passwordFile = Path.of(data, "netloom", "admin-password");
        AdminCredentials credentials = new AdminCredentials(Path.of(etc, "users.properties"), passwordFile);
        switch (credentials.ensureAdmin(Optional.ofNullable(System.getenv(AdminCredentials.PASSWORD_ENV)))) {
            case CREATED_FROM_ENVIRONMENT -> LOG.info("Created user 'admin' with the password from {}",
                    AdminCredentials.PASSWORD_ENV);
            case CREATED_GENERATED -> LOG.info("Created user 'admin' with a generated password, written to {}",
                    passwordFile);
            case ALREADY_PRESENT -> LOG.debug("User 'admin' exists");
        }
        Path keyFile = Path.of(data, "netloom", "client.key");
        if (new ClientKey(Path.of(etc, "keys.properties"), keyFile).ensure()) {
            LOG.info("Created the local console key of 'admin' in {} (used by bin/client)", keyFile);
        }
    }
}
