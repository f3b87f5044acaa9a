package io.netloom.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.NetworkDriver;

/**
 * The node agent: runs on a registered host (in the {@code netloom-node} distribution), configured by
 * {@code etc/io.netloom.agent.cfg}; without that file it does not run. It long-polls the controller for its node's
 * desired configuration, realises it with the local driver of its type (the highest ranked one) and reports the
 * revision it realised, with any failures, at once and at every heartbeat.
 */
@Component(configurationPid = NodeAgent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = NodeAgent.Config.class)
public class NodeAgent {

    static final String PID = "io.netloom.agent";
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

    /** The agent's settings, {@code etc/io.netloom.agent.cfg}. */
    @ObjectClassDefinition(name = "Netloom node agent", description = "Where the controller is and who this node is")
    public @interface Config {
        /**
         * @return the controller's REST base URL
         */
        @AttributeDefinition(name = "controller.url", description = "The controller's REST base URL, such as "
                + "http://10.200.250.1:8181/netloom/api/v1")
        String controller_url() default "";

        /**
         * @return this node's id
         */
        @AttributeDefinition(name = "node.id", description = "This node's id, as POST /nodes or "
                + "vnet:node-register answered (node- and 12 hexadecimal digits)")
        String node_id() default "";

        /**
         * @return the file holding the node's credential
         */
        @AttributeDefinition(name = "credential.file", description = "The file holding this node's credential "
                + "(relative to the distribution's directory); keep it mode 0600")
        String credential_file() default "etc/netloom-node.credential";

        /**
         * @return the driver type of this node's data plane
         */
        @AttributeDefinition(name = "driver", description = "The driver type of this node's data plane")
        String driver() default "linuxbridge";

        /**
         * @return how long one poll may wait at the controller
         */
        @AttributeDefinition(name = "poll.timeout", description = "How long one long poll may wait at the "
                + "controller for a newer configuration, ISO-8601; each timeout also re-checks the data plane")
        String poll_timeout() default "PT30S";

        /**
         * @return how often the agent reports while nothing changes
         */
        @AttributeDefinition(name = "heartbeat.interval", description = "How often the agent reports while "
                + "nothing changes, ISO-8601; keep it well under the controller's heartbeat.timeout")
        String heartbeat_interval() default "PT5S";

        /**
         * @return the longest pause between tries while the controller cannot be reached
         */
        @AttributeDefinition(name = "retry.max", description = "The longest pause between tries while the "
                + "controller cannot be reached (the pause doubles from 0.5 s up to this), ISO-8601")
        String retry_max() default "PT30S";
    }

    /** Drivers by service, with their type and ranking; snapshotted when one is chosen. */
    private final Map<NetworkDriver, Map<String, Object>> drivers = new ConcurrentHashMap<>();

    private volatile boolean running;
    private Thread loopThread;
    private ScheduledExecutorService heartbeats;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDriver(NetworkDriver driver, Map<String, Object> properties) {
        drivers.put(driver, properties);
    }

    void unbindDriver(NetworkDriver driver) {
        drivers.remove(driver);
    }

    /** The highest ranked driver of a type. */
    private Optional<NetworkDriver> driver(String type) {
        NetworkDriver best = null;
        int bestRank = Integer.MIN_VALUE;
        for (Map.Entry<NetworkDriver, Map<String, Object>> e : Map.copyOf(drivers).entrySet()) {
            if (!type.equals(e.getValue().get(NetworkDriver.TYPE_PROPERTY))) {
                continue;
            }
            Object ranking = e.getValue().get(Constants.SERVICE_RANKING);
            int rank = ranking instanceof Integer i ? i : 0;
            if (best == null || rank > bestRank) {
                best = e.getKey();
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    @Activate
    void activate(BundleContext context, Config config) throws IOException {
        if (config.controller_url().isBlank() || config.node_id().isBlank()) {
            LOG.warn("The node agent is not configured (controller.url and node.id in etc/{}.cfg): it waits and "
                    + "changes nothing", PID);
            return;
        }
        String base = Optional.ofNullable(context.getProperty("karaf.base")).orElse(".");
        Path credentialFile = Path.of(base).resolve(config.credential_file());
        String secret = Files.readString(credentialFile, StandardCharsets.UTF_8).trim();
        if (Files.getFileAttributeView(credentialFile, PosixFileAttributeView.class) != null) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(credentialFile);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("The credential file {} can be read by other users: make it mode 0600", credentialFile);
            }
        }
        if (secret.isEmpty()) {
            throw new IOException("The credential file " + credentialFile + " is empty");
        }
        String node = config.node_id().trim();
        String type = config.driver().trim();
        Duration poll = duration(config.poll_timeout(), Duration.ofSeconds(30), "poll.timeout");
        Duration beat = duration(config.heartbeat_interval(), Duration.ofSeconds(5), "heartbeat.interval");
        Duration retry = duration(config.retry_max(), Duration.ofSeconds(30), "retry.max");
        String version = context.getBundle().getVersion().toString();
        AgentLoop loop = new AgentLoop(node, type, new HttpControllerClient(URI.create(config.controller_url().trim()),
                node, secret), () -> driver(type), version, poll, retry);
        running = true;
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "netloom-agent-heartbeat"));
        heartbeats.scheduleWithFixedDelay(loop::report, 0, beat.toMillis(), TimeUnit.MILLISECONDS);
        loopThread = daemon(() -> run(loop), "netloom-agent");
        loopThread.start();
        LOG.info("Node agent of {} started: controller {}, {} driver, polls of {}, heartbeat every {}", node,
                config.controller_url(), type, poll, beat);
    }

    private void run(AgentLoop loop) {
        while (running) {
            try {
                long pause = loop.round();
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("A round of the node agent failed: {}", e.toString());
                try {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (!running) {
            return;
        }
        running = false;
        heartbeats.shutdownNow();
        loopThread.interrupt();
        loopThread.join(TimeUnit.SECONDS.toMillis(10));
        LOG.info("Node agent stopped; the data plane keeps what it holds");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static Duration duration(String text, Duration otherwise, String key) {
        try {
            Duration d = Duration.parse(text.trim());
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        LOG.warn("{} '{}' is not a positive ISO-8601 duration; using {}", key, text, otherwise);
        return otherwise;
    }
}
