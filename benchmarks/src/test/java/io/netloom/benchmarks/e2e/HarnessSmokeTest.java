package io.netloom.benchmarks.e2e;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Runs the end-to-end harness in smoke mode (tiny sizes, one run) as CI does, and checks that it completed, that
 * every scenario produced its row with numbers where a side could be measured, and that it left nothing behind.
 * Timings are not asserted. Skipped when not root or when the tools or the distributions it needs are missing.
 */
public class HarnessSmokeTest {

    private static final List<String> TOOLS = List.of("ip", "nft", "ping", "tar", "ovsdb-tool", "ovsdb-server",
            "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovn-northd", "ovn-controller", "ovn-nbctl", "ovn-sbctl");

    @Test
    public void smokeRunProducesATableAndLeavesNothingBehind() throws IOException {
        assumeTrue("needs root for namespaces", "root".equals(System.getProperty("user.name")));
        for (String tool : TOOLS) {
            assumeTrue(tool + " is not installed", onPath(tool));
        }
        Path dist = Path.of(System.getProperty("netloom.e2e.dist", "target/e2e-dist"));
        assumeTrue("no distributions in " + dist, Files.isRegularFile(dist.resolve("netloom-distribution.tar.gz"))
                && Files.isRegularFile(dist.resolve("apache-karaf.tar.gz")));
        Path out = Path.of(System.getProperty("netloom.e2e.work", "target/e2e-smoke")).toAbsolutePath();
        Files.deleteIfExists(out.resolve("results.json"));
        Set<String> namespacesBefore = Set.copyOf(Sandbox.namespaces());
        Set<Long> daemonsBefore = harnessDaemons();

        // The measuring process writes to a file: output written straight to this fork's stdout corrupts
        // surefire's channel.
        Path log = out.resolve("harness.log");
        Files.deleteIfExists(log);
        int exit = Harness.run(new String[] {"--smoke", "--out", out.toString(), "--dist", dist.toString(), "--log",
            log.toString()});
        if (Files.exists(out.resolve("results.md"))) {
            System.out.println(Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8));
        }

        assertEquals("harness exit code (see " + log + ")", 0, exit);
        JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"),
                StandardCharsets.UTF_8)).getAsJsonObject();
        assertEquals(0, results.getAsJsonArray("failures").size());
        List<String> ids = new ArrayList<>();
        for (JsonElement e : results.getAsJsonArray("rows")) {
            JsonObject row = e.getAsJsonObject();
            ids.add(row.get("id").getAsString());
            // A row without an alternative says so (scale rows whose figure is reported without a target).
            assertTrue("row " + row + " has a measured alternative", row.has("alternativeMedian")
                    || row.get("alternativeSide").getAsString().startsWith("no target"));
            assertTrue("row " + row + " is measured or says why not",
                    row.has("netloomMedian") || row.get("note").getAsString().startsWith("pending"));
        }
        assertEquals(List.of("1a", "2", "3", "4", "5a", "5b", "6", "S1", "S1-heap", "S3", "S2", "S2-heap", "S4-ovs",
                "S4-flows", "S4-lb", "S5"), ids);
        assertTrue(Files.readString(out.resolve("results.md"), StandardCharsets.UTF_8)
                .contains("| # | measurement |"));

        List<String> leftovers = new ArrayList<>(Sandbox.namespaces());
        leftovers.removeAll(namespacesBefore);
        assertTrue("namespaces left behind: " + leftovers, leftovers.stream().noneMatch(n -> n.startsWith("nlb")));
        Set<Long> daemons = new HashSet<>(harnessDaemons());
        daemons.removeAll(daemonsBefore);
        assertTrue("daemons or Karaf JVMs of the run still run: " + daemons, daemons.isEmpty());
    }

    /** @return the pids of OVS, OVN and Karaf processes running from a harness directory ({@code /tmp/nlb-…}) */
    private static Set<Long> harnessDaemons() {
        try (Stream<ProcessHandle> processes = ProcessHandle.allProcesses()) {
            return processes.filter(p -> {
                String cmd = Pidfiles.commandLine(p.pid());
                return cmd.contains("/nlb-") && (cmd.contains("ovs") || cmd.contains("ovn") || cmd.contains("karaf"));
            }).map(ProcessHandle::pid).collect(Collectors.toSet());
        }
    }

    private static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
