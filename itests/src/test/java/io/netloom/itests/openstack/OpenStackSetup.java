package io.netloom.itests.openstack;

import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netloom.itests.process.NetloomProcess;

/**
 * What the OpenStack client tests share: the distribution started as a process with test users added to its
 * {@code etc/users.properties} once it is up (two members of the projects {@value #ALPHA} and
 * {@value #BETA}, and an administrator), a {@code clouds.yaml} for them, and running a client as a process.
 */
final class OpenStackSetup {

    static final String ALPHA = "alpha";
    static final String BETA = "beta";
    static final String ADMIN_PROJECT = "admin";

    /** A user of the realm and the project it logs in to. */
    record Account(String user, String password, String project, String roles) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    final Account alice = new Account("os-alice", secret(), ALPHA, "netloom-user,netloom-tenant-" + ALPHA);
    final Account bob = new Account("os-bob", secret(), BETA, "netloom-user,netloom-tenant-" + BETA);
    final Account admin = new Account("os-admin", secret(), ADMIN_PROJECT, "netloom-admin");
    /** Only for the login-defence test, which locks it out. */
    final Account carol = new Account("os-carol", secret(), ALPHA, "netloom-user,netloom-tenant-" + ALPHA);
    final NetloomProcess netloom;

    private OpenStackSetup(NetloomProcess netloom) {
        this.netloom = netloom;
    }

    /**
     * Unpacks and starts the distribution with the test users; skips the test (assumption) when the client
     * program is not installed (CI installs it: {@code .ci/run}).
     */
    static OpenStackSetup start(String program) throws IOException, InterruptedException {
        assumeTrue(program + " is not installed (Debian package; .ci/run installs it)",
                Files.isExecutable(Path.of(program)));
        NetloomProcess netloom = new NetloomProcess();
        OpenStackSetup setup = new OpenStackSetup(netloom);
        try {
            // The users are added once Netloom is up: Karaf rewrites the users file at its first start to hash plain
            // passwords while Netloom adds its admin, and a plain line present then made that start race (the admin
            // once ended without its roles). Added later, each is hashed at its own first login, one at a time.
            netloom.start();
            StringBuilder lines = new StringBuilder("\n");
            for (Account a : List.of(setup.alice, setup.bob, setup.admin, setup.carol)) {
                lines.append(a.user()).append(" = ").append(a.password()).append(',').append(a.roles()).append('\n');
            }
            Files.writeString(netloom.home().resolve("etc/users.properties"), lines.toString(),
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            for (Account a : List.of(setup.alice, setup.bob, setup.admin)) {
                setup.awaitLogin(a);
            }
            return setup;
        } catch (IOException | InterruptedException | RuntimeException e) {
            netloom.close();
            throw e;
        }
    }

    /** Waits until the account logs in to the REST API (the realm reads the users file at each login). */
    private void awaitLogin(Account a) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String basic = "Basic " + Base64.getEncoder().encodeToString((a.user() + ":" + a.password())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + netloom.httpPort()
                + "/netloom/api/v1/drivers")).header("Authorization", basic).timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(a.user() + " could not log in within 60 s (last answer " + status + ")");
    }

    /** @return the Keystone URL (DevStack's layout) */
    String identityUrl() {
        return "http://127.0.0.1:" + netloom.httpPort() + "/identity";
    }

    /** Writes a {@code clouds.yaml} with one cloud per account, named after its user. */
    Path cloudsYaml(Path dir) throws IOException {
        StringBuilder yaml = new StringBuilder("clouds:\n");
        for (Account a : List.of(alice, bob, admin)) {
            yaml.append("  ").append(a.user()).append(":\n")
                    .append("    auth:\n")
                    .append("      auth_url: ").append(identityUrl()).append('\n')
                    .append("      username: ").append(a.user()).append('\n')
                    .append("      password: ").append(a.password()).append('\n')
                    .append("      project_name: ").append(a.project()).append('\n')
                    .append("      user_domain_name: Default\n")
                    .append("      project_domain_name: Default\n")
                    .append("    region_name: RegionOne\n")
                    .append("    identity_api_version: 3\n");
        }
        Path file = dir.resolve("clouds.yaml");
        Files.writeString(file, yaml.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The outcome of a client run: its exit status and what it printed (standard output, then error). */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /**
     * Runs a program with an argument list (no shell) in a directory, with extra environment variables.
     *
     * @throws IllegalStateException when it runs longer than the timeout (it is killed)
     */
    static Run run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException(command + " ran longer than " + timeout + "; output so far:\n"
                    + Files.readString(out) + Files.readString(err));
        }
        Run run = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private static String secret() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "Os" + HexFormat.of().formatHex(bytes);
    }
}
