package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;

import org.junit.Test;
import org.ops4j.pax.exam.Option;

/**
 * Login defences: failed logins are logged and throttled, a locked-out user is answered 429 at once.
 */
public class SecurityIT extends NetloomTestSupport {

    private static final String GUESSED = "guessed";
    private static final String OTHER = "other";
    private static final String PASSWORD = "sec-Pw-1";
    private static final String WRONG = "not-the-Pw-42";

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/users.properties", GUESSED, PASSWORD + ",netloom-viewer"),
            editConfigurationFilePut("etc/users.properties", OTHER, PASSWORD + ",netloom-viewer"),
            editConfigurationFilePut("etc/io.netloom.security.cfg", "lockout.initial", "PT5S"),
        };
    }

    private HttpResponse<String> get(String user, String password) throws Exception {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort()
                + "/netloom/api/v1/drivers")).header("Authorization", "Basic " + token)
                .timeout(Duration.ofSeconds(10)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    public void tenWrongPasswordsLockTheUserOutWhileOthersLogIn() throws Exception {
        waitForRest();
        int unauthorised = 0;
        int locked = 0;
        for (int i = 0; i < 10; i++) {
            int status = get(GUESSED, WRONG).statusCode();
            unauthorised += status == 401 ? 1 : 0;
            locked += status == 429 ? 1 : 0;
        }
        assertEquals("the first five are tried", 5, unauthorised);
        assertEquals("the rest refused untried", 5, locked);
        HttpResponse<String> right = get(GUESSED, PASSWORD);
        assertEquals(right.body(), 429, right.statusCode());
        assertTrue(right.body(), right.body().contains("\"code\":\"LOGIN_LOCKED\""));
        long retryAfter = Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow());
        assertTrue("Retry-After " + retryAfter, retryAfter >= 1 && retryAfter <= 5);
        assertEquals("another user is not affected", 200, get(OTHER, PASSWORD).statusCode());

        waitFor("the lockout to pass", () -> {
            try {
                return get(GUESSED, PASSWORD).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });

        String log = Files.readString(karafData().resolve("log/karaf.log"));
        assertTrue("failures are in the security log", log.contains("Login failed: user '" + GUESSED + "' from "));
        assertFalse("no password in the log", log.contains(WRONG));
    }

    @Test
    public void credentialsTheStoreAndTheDataDirectoryAreReadableOnlyByTheirOwner() throws Exception {
        waitForRest();
        // A write and a login that makes Karaf rewrite the users file (it hashes a plain password at first login).
        expect(201, "POST", "/networks", "{\"name\":\"private\",\"cidrs\":[\"10.233.0.0/16\"]}");
        assertEquals(200, get(OTHER, PASSWORD).statusCode());
        assertEquals("rw-------", mode(karafHome().resolve("etc/users.properties")));
        assertEquals("rwx------", mode(karafData().resolve("netloom")));
        assertEquals("rw-------", mode(karafData().resolve("netloom/model.db")));
        assertEquals("rw-------", mode(karafData().resolve("netloom/admin-password")));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
