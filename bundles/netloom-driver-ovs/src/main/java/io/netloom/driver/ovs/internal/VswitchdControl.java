package io.netloom.driver.ovs.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.DriverException;

/**
 * The control socket of the ovs-vswitchd that serves the driver's OVSDB: {@code ovs-vswitchd.PID.ctl} in its run
 * directory (the directory of a {@code unix:} OVSDB remote, else {@code /var/run/openvswitch}), of a process that
 * is alive. Commands run as {@code ovs-appctl -t SOCKET ...} argument lists.
 */
final class VswitchdControl implements DatapathCache {

    static final Path SYSTEM_RUNDIR = Path.of("/var/run/openvswitch");
    private static final Pattern CTL = Pattern.compile("ovs-vswitchd\\.([0-9]+)\\.ctl");
    private static final long TIMEOUT_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(VswitchdControl.class);

    private final Path rundir;
    private volatile boolean warned;

    VswitchdControl(Path rundir) {
        this.rundir = rundir;
    }

    /**
     * @param ovsdbRemote the driver's OVSDB remote, such as {@code unix:/run/openvswitch/db.sock}
     * @return the control of the ovs-vswitchd beside that OVSDB
     */
    static VswitchdControl beside(String ovsdbRemote) {
        if (ovsdbRemote.startsWith("unix:")) {
            Path parent = Path.of(ovsdbRemote.substring("unix:".length())).toAbsolutePath().getParent();
            if (parent != null) {
                return new VswitchdControl(parent);
            }
        }
        return new VswitchdControl(SYSTEM_RUNDIR);
    }

    /**
     * @return the control socket of a live ovs-vswitchd in the run directory (the newest, if several)
     */
    Optional<Path> socket() {
        Path found = null;
        long newest = Long.MIN_VALUE;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(rundir, "ovs-vswitchd.*.ctl")) {
            for (Path file : files) {
                Matcher m = CTL.matcher(file.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(Path.of("/proc", m.group(1)))) {
                    continue; // left behind by a process that is gone
                }
                long modified = Files.getLastModifiedTime(file).toMillis();
                if (modified >= newest) {
                    newest = modified;
                    found = file;
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(found);
    }

    /**
     * @return the control socket of a live ovs-vswitchd in the run directory
     * @throws DriverException when there is none
     */
    Path requireSocket() {
        return socket().orElseThrow(() -> new DriverException("No live ovs-vswitchd control socket in " + rundir,
                null));
    }

    @Override
    public void purge() {
        Optional<Path> socket = socket();
        if (socket.isEmpty()) {
            if (!warned) {
                warned = true;
                LOG.warn("No ovs-vswitchd control socket in {}: cached datapath flows are not purged after flow "
                        + "changes, so packets may follow the old flows for a moment after an apply", rundir);
            }
            return;
        }
        appctl(socket.get(), List.of("revalidator/purge"));
    }

    /**
     * Runs a command on the live ovs-vswitchd.
     *
     * @param command the command and its arguments, such as {@code ovs/route/show}
     * @return its output
     * @throws DriverException when there is no live ovs-vswitchd or the command fails
     */
    String appctl(List<String> command) {
        return appctl(requireSocket(), command);
    }

    private static String appctl(Path socket, List<String> command) {
        // ovs-appctl's own timeout bounds the read of its output.
        List<String> argv = new ArrayList<>(List.of("ovs-appctl", "--timeout=" + TIMEOUT_SECONDS, "-t",
                socket.toString()));
        argv.addAll(command);
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DriverException("ovs-appctl " + String.join(" ", command) + " did not answer within "
                        + TIMEOUT_SECONDS + " s", null);
            }
            if (p.exitValue() != 0) {
                throw new DriverException("ovs-appctl " + String.join(" ", command) + " failed: "
                        + new String(out, StandardCharsets.UTF_8).trim(), null);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DriverException("ovs-appctl could not be run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException("Interrupted while running ovs-appctl", e);
        }
    }
}
