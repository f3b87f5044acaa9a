package io.netloom.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the first start of a distribution, creates the {@code admin} user (see {@link AdminCredentials}) and its local
 * console key (see {@link ClientKey}).
 */
@Component(immediate = true, service = {})
public class AdminBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

    /** How long to wait for Karaf to hash the plain passwords in users.properties before adding the admin. */
    private static final Duration PLAIN_PASSWORDS_WAIT = Duration.ofSeconds(30);
    /**
     * How long the users file must stay unchanged, without plain passwords, before the admin is added. Karaf can hash
     * the file twice at once: its JAAS modules bundle starts a hashing pass that waits up to 20 s for the encryption
     * service, and when its configuration arrives it gives up waiting for that pass after 10 s and starts another.
     * Both write the whole file once the service is there, the second a moment after the first, and would drop a
     * line added in between (found by the itests: the admin line lost 100 ms after it was added).
     */
    private static final Duration SETTLED = Duration.ofSeconds(2);
    /**
     * How long after adding the admin the users file is watched for a hashing pass of Karaf's that writes back an
     * older copy without it (under load one can come seconds after the other); the same line is then added again.
     */
    private static final Duration WATCH = Duration.ofSeconds(60);

    private ExecutorService background;

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
        // Karaf hashes plain passwords it finds in users.properties by rewriting the whole file, which takes a while
        // with bcrypt; a line added meanwhile would be lost. So the admin user is added once that has happened.
        Optional<String> fromEnvironment = Optional.ofNullable(System.getenv(AdminCredentials.PASSWORD_ENV));
        background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netloom-admin-bootstrap");
            t.setDaemon(true);
            return t;
        });
        if (credentials.hasPlainPasswords()) {
            background.execute(() -> addAdminOnceHashed(credentials, fromEnvironment, passwordFile));
        } else {
            addAdmin(credentials, fromEnvironment, passwordFile);
            // A hashing pass of Karaf's that read the file before the admin was added can still write it back
            // (seen in the itests with a file that held no plain password when this ran): watch for that too.
            credentials.addedLine().ifPresent(line -> background.execute(() -> {
                try {
                    watch(credentials, line);
                } catch (IOException e) {
                    LOG.error("Could not watch etc/users.properties for the admin user", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        Path keyFile = Path.of(data, "netloom", "client.key");
        if (new ClientKey(Path.of(etc, "keys.properties"), keyFile).ensure()) {
            LOG.info("Created the local console key of 'admin' in {} (used by bin/client)", keyFile);
        }
    }

    private void addAdminOnceHashed(AdminCredentials credentials, Optional<String> fromEnvironment,
            Path passwordFile) {
        try {
            long deadline = System.nanoTime() + PLAIN_PASSWORDS_WAIT.toNanos();
            Settling file = new Settling(credentials, "");
            while (System.nanoTime() < deadline && !file.settled()) {
                Thread.sleep(250);
            }
            addAdmin(credentials, fromEnvironment, passwordFile);
            // The line as written: the file may have lost it already.
            Optional<String> line = credentials.addedLine();
            if (line.isPresent()) {
                watch(credentials, line.get());
            }
        } catch (IOException e) {
            LOG.error("Could not add the admin user to etc/users.properties", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds the admin's line again, unchanged, should the users file lose it within {@link #WATCH}: only once the file
     * has settled (unchanged for {@link #SETTLED}, no plain password), so that nothing Karaf is halfway through
     * writing is written back.
     */
    private static void watch(AdminCredentials credentials, String line) throws IOException, InterruptedException {
        long end = System.nanoTime() + WATCH.toNanos();
        Settling file = new Settling(credentials, credentials.usersText());
        while (System.nanoTime() < end) {
            Thread.sleep(250);
            if (file.settled() && credentials.adminLine().isEmpty() && credentials.restore(line)) {
                LOG.warn("Karaf wrote back an older etc/users.properties without the admin user (two of its hashing "
                        + "passes at once); added the admin again");
                file = new Settling(credentials, credentials.usersText());
            }
        }
    }

    /**
     * Tells, reading the users file at each call, whether it has settled: no plain password and the same content for
     * {@link #SETTLED}, so that no hashing pass of Karaf's is halfway through.
     */
    private static final class Settling {
        private final AdminCredentials credentials;
        private String before;
        private long stableSince = System.nanoTime();

        Settling(AdminCredentials credentials, String text) {
            this.credentials = credentials;
            this.before = text;
        }

        boolean settled() throws IOException {
            String now = credentials.usersText();
            if (!now.equals(before) || credentials.hasPlainPasswords()) {
                before = now;
                stableSince = System.nanoTime();
                return false;
            }
            return System.nanoTime() - stableSince >= SETTLED.toNanos();
        }
    }

    private static void addAdmin(AdminCredentials credentials, Optional<String> fromEnvironment, Path passwordFile)
            throws IOException {
        switch (credentials.ensureAdmin(fromEnvironment)) {
            case CREATED_FROM_ENVIRONMENT -> LOG.info("Created user 'admin' with the password from {}",
                    AdminCredentials.PASSWORD_ENV);
            case CREATED_GENERATED -> LOG.info("Created user 'admin' with a generated password, written to {}",
                    passwordFile);
            case ALREADY_PRESENT -> LOG.debug("User 'admin' exists");
        }
    }

    @Deactivate
    void deactivate() {
        if (background != null) {
            background.shutdownNow();
        }
    }
}
