package io.netloom.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * Boots the Netloom distribution itself (the tar.gz this build made) once per test class, on free ports, and gives
 * tests what they need: REST calls with credentials, shell commands run as a given role, and service look-ups.
 *
 * <p>{@link #config()} runs in the test JVM; test methods run inside Karaf. Values cross over as system
 * properties.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public abstract class NetloomTestSupport {

    protected static final String VIEWER = "viewer";
    protected static final String VIEWER_PASSWORD = "viewer-Pw-1";
    protected static final String ALICE = "alice";
    protected static final String BOB = "bob";
    protected static final String USER_PASSWORD = "user-Pw-1";
    protected static final String OUTSIDER = "outsider";
    protected static final String OUTSIDER_PASSWORD = "outsider-Pw-1";

    private static final String HTTP_PORT = "netloom.test.http.port";
    private static final String SSH_PORT = "netloom.test.ssh.port";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] config() {
        String version = System.getProperty("netloom.version");
        String localRepo = System.getProperty("maven.repo.local");
        assertNotNull("netloom.version must be set by the build", version);
        String httpPort = Integer.toString(freePort());
        String sshPort = Integer.toString(freePort());
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration()
                        .frameworkUrl(maven().groupId("io.netloom").artifactId("netloom-distribution")
                                .version(version).type("tar.gz"))
                        .unpackDirectory(new File("target/exam"))
                        .useDeployFolder(false)
                        .name("Netloom"),
                configureConsole().ignoreLocalConsole(),
                logLevel(LogLevel.INFO),
                keepRuntimeFolder(),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", sshPort),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort",
                        Integer.toString(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort",
                        Integer.toString(freePort())),
                editConfigurationFilePut("etc/users.properties", VIEWER, VIEWER_PASSWORD + ",_g_:viewergroup"),
                editConfigurationFilePut("etc/users.properties", OUTSIDER, OUTSIDER_PASSWORD + ",ssh"),
                editConfigurationFilePut("etc/users.properties", ALICE, USER_PASSWORD
                        + ",netloom-user,netloom-tenant-alice"),
                editConfigurationFilePut("etc/users.properties", BOB, USER_PASSWORD
                        + ",netloom-user,netloom-tenant-bob"),
                systemProperty(HTTP_PORT).value(httpPort),
                systemProperty(SSH_PORT).value(sshPort)));
        if (localRepo != null) {
            options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.localRepository", localRepo));
            options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.defaultRepositories", "file:" + localRepo + "@id=local@snapshots"));
            options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.repositories", ""));
            options.add(editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                    "org.ops4j.pax.url.mvn.offline", "true"));
        }
        options.addAll(List.of(extraOptions()));
        return options.toArray(new Option[0]);
    }

    /**
     * @return options a test class adds to the default configuration
     */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    // ---- inside Karaf ----

    protected static int httpPort() {
        return Integer.getInteger(HTTP_PORT);
    }

    protected static int sshPort() {
        return Integer.getInteger(SSH_PORT);
    }

    protected static Path karafHome() {
        return Path.of(System.getProperty("karaf.home"));
    }

    protected static Path karafData() {
        return Path.of(System.getProperty("karaf.data"));
    }

    /**
     * @return the generated admin password, waiting for the first start to write it
     */
    protected static String adminPassword() throws Exception {
        Path file = karafData().resolve("netloom/admin-password");
        waitFor("admin password file", () -> Files.exists(file));
        return Files.readString(file).trim();
    }

    /** A REST answer: status, body, content type and headers (names in lower case). */
    protected record Reply(int status, String body, String contentType, Map<String, List<String>> headers) {
        Reply(int status, String body, String contentType) {
            this(status, body, contentType, Map.of());
        }

        JsonElement json() {
            return JsonParser.parseString(body);
        }

        /** @return the first value of a header, or {@code null} */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    protected Reply rest(String method, String path, String user, String password, String body) throws Exception {
        return rest(method, path, user, password, body, "application/json", null);
    }

    /**
     * Sends any request: {@code contentType} and {@code idempotencyKey} may be {@code null}.
     */
    protected Reply rest(String method, String path, String user, String password, String body, String contentType,
            String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort()
                + "/netloom/api/v1" + path)).timeout(TIMEOUT);
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            b.header("Authorization", "Basic " + token);
        }
        if (body != null && contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpRequest request = b.build();
        HttpResponse<String> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.EOFException closed) {
            // The server may close an idle kept-alive connection just as the client reuses it (Jetty does so under
            // load); an idempotent request is then retried once on a new connection, as HTTP allows (RFC 9110 9.2.2).
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw closed;
            }
            r = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
                r.headers().map());
    }

    protected Reply asAdmin(String method, String path, String body) throws Exception {
        return rest(method, path, "admin", adminPassword(), body);
    }

    /**
     * Sends a request as admin and checks the status; returns the JSON answer (or null for none).
     */
    protected JsonElement expect(int status, String method, String path, String body) throws Exception {
        Reply reply = asAdmin(method, path, body);
        assertEquals(method + " " + path + " -> " + reply.body(), status, reply.status());
        return reply.body().isEmpty() ? null : reply.json();
    }

    /**
     * @return a copy without {@code status} and {@code statusDetail}: realisation status is observed state that
     *     changes on its own (PENDING, then ACTIVE), unlike what a request wrote
     */
    protected static JsonElement withoutStatus(JsonElement json) {
        JsonElement copy = json.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonElement e) {
        if (e.isJsonObject()) {
            e.getAsJsonObject().remove("status");
            e.getAsJsonObject().remove("statusDetail");
            e.getAsJsonObject().entrySet().forEach(x -> strip(x.getValue()));
        } else if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(NetloomTestSupport::strip);
        }
    }

    protected static String id(JsonElement object) {
        return object.getAsJsonObject().get("id").getAsString();
    }

    /**
     * Waits until the REST API answers an authenticated GET with 200.
     */
    protected void waitForRest() throws Exception {
        String password = adminPassword();
        Path users = Path.of(System.getProperty("karaf.etc"), "users.properties");
        waitFor("REST API", () -> {
            try {
                // No login is tried while the users file lacks the admin (Karaf may write it back without it for a
                // moment at first start): failed logins would lock the admin out.
                return Files.readAllLines(users).stream().anyMatch(l -> l.startsWith("admin "))
                        && rest("GET", "/drivers", "admin", password, null).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /**
     * Runs a shell command as a user with the given roles, as a console session would, and returns its output.
     */
    protected String executeCommand(String command, String... roles) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal("itest"));
        for (String role : roles) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Object> result = executor.submit(() -> Subject.doAs(subject,
                    (PrivilegedExceptionAction<Object>) () -> {
                        Session session = sessionFactory.create(System.in, out, out);
                        try {
                            return session.execute(command);
                        } finally {
                            session.close();
                        }
                    }));
            result.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        fail("No bundle " + symbolicName);
        return null;
    }

    protected long serviceId(Class<?> type) {
        ServiceReference<?> ref = bundleContext.getServiceReference(type);
        assertNotNull("No service " + type.getName(), ref);
        return (Long) ref.getProperty("service.id");
    }

    protected <T> T assertServiceAvailable(Class<T> type) throws Exception {
        waitFor("service " + type.getName(), () -> bundleContext.getServiceReference(type) != null);
        return bundleContext.getService(bundleContext.getServiceReference(type));
    }

    protected static void waitFor(String what, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    protected static void assertError(Reply reply, int status, String code) {
        assertEquals(reply.body(), status, reply.status());
        assertEquals(reply.contentType(), true, reply.contentType().startsWith("application/json"));
        assertEquals(reply.body(), code,
                JsonParser.parseString(reply.body()).getAsJsonObject().get("code").getAsString());
    }
}
