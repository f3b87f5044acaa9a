package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;

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
    private static final String SSH_USER = "shelly";
    private static final String LEGACY = "legacy";
    private static final String LEGACY_SSH = "legacy-ssh";
    private static final String LEGACY_KEPT = "legacy-kept";
    private static final String LEGACY_PASSWORD = "old-Pw-7";

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/users.properties", GUESSED, PASSWORD + ",netloom-viewer"),
            editConfigurationFilePut("etc/users.properties", OTHER, PASSWORD + ",netloom-viewer"),
            editConfigurationFilePut("etc/users.properties", SSH_USER, PASSWORD + ",netloom-viewer,ssh"),
            // Unsalted SHA-512 hashes, as etc/users.properties held them before bcrypt.
            editConfigurationFilePut("etc/users.properties", LEGACY, sha512(LEGACY_PASSWORD) + ",netloom-viewer"),
            editConfigurationFilePut("etc/users.properties", LEGACY_SSH, sha512(LEGACY_PASSWORD)
                    + ",netloom-viewer,ssh"),
            editConfigurationFilePut("etc/users.properties", LEGACY_KEPT, sha512(LEGACY_PASSWORD) + ",netloom-viewer"),
            editConfigurationFilePut("etc/io.netloom.security.cfg", "lockout.initial", "PT5S"),
        };
    }

    private static String sha512(String password) {
        try {
            return "{CRYPT}" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
                    .digest(password.getBytes(StandardCharsets.UTF_8))) + "{CRYPT}";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The status of GET /drivers as this user, sent from a local address of the test's choice (127.0.0.x). */
    private static int getFrom(String local, String user, String password) throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), httpPort(), InetAddress.getByName(local),
                0)) {
            socket.setSoTimeout(10_000);
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(("GET /netloom/api/v1/drivers HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Basic " + token + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(answer.substring(9, 12));
        }
    }

    /** Whether an SSH password login to the console succeeds. */
    private static boolean sshLogin(String user, String password) throws Exception {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession session = client.connect(user, "127.0.0.1", sshPort()).verify(10, TimeUnit.SECONDS)
                    .getSession()) {
                session.addPasswordIdentity(password);
                session.auth().verify(10, TimeUnit.SECONDS);
                return true;
            } catch (SshException e) {
                return false;
            }
        }
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
        assertEquals("the user is not locked out at another address", 200, getFrom("127.0.0.2", GUESSED, PASSWORD));

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
        // Salted, iterated hashes: bcrypt ("$2a$10$", hex-encoded) for the admin Netloom created and for a plain
        // password Karaf hashed at its first login.
        String users = Files.readString(karafHome().resolve("etc/users.properties"));
        String bcrypt = "{CRYPT}" + HexFormat.of().formatHex("$2a$10$".getBytes(StandardCharsets.US_ASCII));
        assertTrue(users, users.contains("admin = " + bcrypt));
        waitFor("Karaf to hash the plain password", () -> {
            try {
                return Files.readString(karafHome().resolve("etc/users.properties")).contains(OTHER + " = " + bcrypt);
            } catch (IOException e) {
                return false;
            }
        });
        assertFalse(Files.readString(karafHome().resolve("etc/users.properties")).contains(PASSWORD));
    }

    @Test
    public void sshLoginsAreThrottledWithTheSameCountsAsTheApi() throws Exception {
        waitForRest();
        assertTrue("the right password logs in", sshLogin(SSH_USER, PASSWORD));
        for (int i = 0; i < 5; i++) {
            assertFalse(sshLogin(SSH_USER, WRONG));
        }
        assertFalse("locked out: the right password is not tried", sshLogin(SSH_USER, PASSWORD));
        // The same counts: the REST API refuses that user at that address too, but not at another address.
        assertEquals(429, get(SSH_USER, PASSWORD).statusCode());
        assertEquals(200, getFrom("127.0.0.3", SSH_USER, PASSWORD));
        waitFor("the lockout to pass", () -> {
            try {
                return sshLogin(SSH_USER, PASSWORD);
            } catch (Exception e) {
                return false;
            }
        });
        String log = Files.readString(karafData().resolve("log/karaf.log"));
        assertTrue(log.contains("Login failed: user '" + SSH_USER + "' from /127.0.0.1:"));
        assertTrue(log.contains("Login of user '" + SSH_USER + "' from 127.0.0.1 locked out until"));
        assertFalse("no password in the log", log.contains(WRONG));
    }

    @Test
    public void unsaltedSha512HashesAreUpgradedToBcryptAtTheNextSuccessfulLogin() throws Exception {
        waitForRest();
        Path users = karafHome().resolve("etc/users.properties");
        String bcrypt = "{CRYPT}" + HexFormat.of().formatHex("$2a$10$".getBytes(StandardCharsets.US_ASCII));
        assertTrue(passwordOf(users, LEGACY).equals(sha512(LEGACY_PASSWORD)));
        assertEquals("a wrong password changes nothing", 401, get(LEGACY_KEPT, WRONG).statusCode());
        assertEquals("the old hash still lets its user in", 200, get(LEGACY, LEGACY_PASSWORD).statusCode());
        assertTrue("and the console", sshLogin(LEGACY_SSH, LEGACY_PASSWORD));
        assertTrue(passwordOf(users, LEGACY), passwordOf(users, LEGACY).startsWith(bcrypt));
        assertTrue(passwordOf(users, LEGACY_SSH), passwordOf(users, LEGACY_SSH).startsWith(bcrypt));
        assertTrue("roles kept", Files.readAllLines(users).stream().anyMatch(l -> l.startsWith(LEGACY + "=")
                && l.endsWith(",netloom-viewer")));
        assertEquals("a user who has not logged in keeps the old hash", sha512(LEGACY_PASSWORD),
                passwordOf(users, LEGACY_KEPT));
        assertEquals("rw-------", mode(users));
        // The new hash lets its user in again (checked by Karaf against bcrypt now).
        assertTrue(sshLogin(LEGACY_SSH, LEGACY_PASSWORD));
        assertEquals(401, get(LEGACY, WRONG).statusCode());
        String log = Files.readString(karafData().resolve("log/karaf.log"));
        assertTrue(log.contains("Upgraded the unsalted password hash of user '" + LEGACY + "'"));
    }

    /** The stored password of a user in the users file. */
    private static String passwordOf(Path users, String user) throws IOException {
        for (String line : Files.readAllLines(users)) {
            String[] keyValue = line.split("\\s*=\\s*", 2);
            if (keyValue.length == 2 && keyValue[0].trim().equals(user)) {
                return keyValue[1].split(",")[0];
            }
        }
        throw new AssertionError("no line for " + user + " in " + users);
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** Sends a request line exactly as written, over a plain socket, and returns the status line and body. */
    private static String[] raw(String method, String target, String authorization) throws Exception {
        String[] answer = rawAnswer(method, target, authorization, "");
        return new String[] {answer[0], answer[2]};
    }

    /**
     * Sends a request exactly as written (with these further header lines, each ending in CRLF) over a plain
     * socket, and returns its status line, its headers and its body.
     */
    private static String[] rawAnswer(String method, String target, String authorization, String headers)
            throws Exception {
        try (Socket socket = new Socket("127.0.0.1", httpPort())) {
            socket.setSoTimeout(10_000);
            String request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + headers
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readNBytes(64 * 1024), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            int line = answer.indexOf("\r\n");
            return new String[] {answer.substring(0, line), end < 0 ? "" : answer.substring(line + 2, end),
                end < 0 ? "" : answer.substring(end + 4)};
        }
    }

    private static String adminAuthorization() throws Exception {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword())
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void errorsJettyAnswersItselfUnderTheApiCarryTheJsonErrorBody() throws Exception {
        waitForRest();
        String admin = adminAuthorization();
        String v1 = "/netloom/api/v1";
        record Probe(String method, String target, String authorization, String headers, int status, String code) {
        }
        List<Probe> probes = List.of(
                new Probe("TRACE", v1 + "/networks", admin, "", 405, "METHOD_NOT_ALLOWED"),
                new Probe("TRACE", v1 + "/networks", null, "", 405, "METHOD_NOT_ALLOWED"),
                new Probe("TRACK", v1 + "/networks", admin, "", 405, "METHOD_NOT_ALLOWED"),
                new Probe("GET", v1 + "/..;/networks", admin, "", 400, "INVALID_PATH"),
                new Probe("GET", "/netloom/api/..;/v1/networks", null, "", 400, "INVALID_PATH"),
                new Probe("DELETE", v1 + "/networks/..;x", admin, "", 400, "INVALID_PATH"),
                new Probe("GET", v1 + "/networks%00", admin, "", 400, "BAD_REQUEST"),
                new Probe("GET", v1 + "/%00/networks", null, "", 400, "BAD_REQUEST"),
                new Probe("GET", v1 + "/networks?q=" + "a".repeat(9000), admin, "", 414, "URI_TOO_LONG"),
                new Probe("GET", v1 + "/" + "n".repeat(9000), null, "", 414, "URI_TOO_LONG"),
                new Probe("GET", v1 + "/networks", admin, "X-Big: " + "b".repeat(9000) + "\r\n", 431,
                        "HEADERS_TOO_LARGE"),
                new Probe("GET", v1 + "/networks", admin, "Bad Header\r\n", 400, "BAD_REQUEST"),
                new Probe("GET", "/netloom/api/v2/networks", admin, "", 404, "NOT_FOUND"),
                new Probe("GET", "/netloom/api/other", admin, "", 404, "NOT_FOUND"),
                new Probe("PUT", "/netloom/api/other", null, "", 404, "NOT_FOUND"),
                new Probe("GET", "/netloom/api", null, "", 404, "NOT_FOUND"),
                new Probe("GET", "/netloom/api/v1x/networks", admin, "", 404, "NOT_FOUND"));
        List<String> failures = new ArrayList<>();
        for (Probe p : probes) {
            String[] answer = rawAnswer(p.method(), p.target(), p.authorization(), p.headers());
            String label = p.method() + " " + p.target().substring(0, Math.min(60, p.target().length())) + " -> "
                    + answer[0] + " " + answer[2];
            if (!answer[0].startsWith("HTTP/1.1 " + p.status() + " ")
                    || !answer[1].toLowerCase(Locale.ROOT).contains("content-type: application/json")
                    || !answer[2].startsWith("{\"code\":\"" + p.code() + "\",\"message\":\"")) {
                failures.add(label);
            }
        }
        assertEquals(String.join("\n", failures), List.of(), failures);
        // Outside the API's paths Jetty's own pages stay.
        assertTrue(rawAnswer("GET", "/no-such-page", null, "")[1].contains("text/html"));
        assertTrue(raw("GET", v1 + "/networks", admin)[0].contains(" 200 "));
    }

    @Test
    public void encodedSlashesDotSegmentsAndPathParametersAreRefusedBeforeRouting() throws Exception {
        waitForRest();
        String admin = adminAuthorization();
        for (String path : new String[] {"/networks/..%2fports", "/networks/..%2Fports", "/networks/../ports",
                "/./networks", "/networks/%2e%2e/ports", "/networks;x=1", "/networks/%2F"}) {
            for (String authorization : new String[] {admin, null}) {
                String[] answer = raw("GET", "/netloom/api/v1" + path, authorization);
                assertTrue(path + ": " + answer[0], answer[0].contains(" 400 "));
                assertTrue(path + ": " + answer[1], answer[1].contains("\"code\":\"INVALID_PATH\""));
            }
        }
        assertTrue(raw("GET", "/netloom/api/v1/networks", admin)[0].contains(" 200 "));
    }
}
