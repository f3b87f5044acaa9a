package io.netloom.itests.conformance;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netloom.api.driver.PacketSimulator;
import io.netloom.api.driver.PacketSimulator.Delivery;
import io.netloom.api.model.Protocol;

/**
 * Measures reachability on the simulated data plane, with synthetic packets through what the sim driver realised.
 *
 * <p>The simulator recognises a reply by its shape: a packet sent from the destination port of a delivered flow to
 * the flow's source address, with the flow's protocol and destination port, is that flow's reply (its ephemeral
 * source port is fixed per flow, so no caller needs to know it). {@link #reply} sends exactly that.
 */
public final class SimReachabilityProbe implements ReachabilityProbe {

    private static final Pattern THROUGH = Pattern.compile("forwarded by the appliance port ([A-Za-z0-9_-]+)");

    private final PacketSimulator simulator;
    private final String node;
    /** Port id → packets delivered through it as an appliance, read from each delivery's account of its path. */
    private final Map<String, Long> forwarded = new ConcurrentHashMap<>();

    /**
     * @param simulator the sim driver's packet simulator
     * @param node the node the scenario's networks are realised on, {@code node-sim}
     */
    public SimReachabilityProbe(PacketSimulator simulator, String node) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.node = Objects.requireNonNull(node, "node");
    }

    @Override
    public void forgetFlows() {
        simulator.resetFlows();
    }

    @Override
    public OptionalLong forwarded(ScenarioPort appliance) {
        return OptionalLong.of(forwarded.getOrDefault(appliance.id(), 0L));
    }

    @Override
    public Outcome newFlow(ScenarioPort from, ScenarioPort to, Protocol protocol, int port) {
        return outcome(simulator.send(node, from.id(), to.ip(), protocol, port), to);
    }

    @Override
    public Outcome reply(ScenarioPort from, ScenarioPort to, Protocol protocol, int port) {
        return outcome(simulator.send(node, to.id(), from.ip(), protocol, port), from);
    }

    /** A packet delivered to any other port than the one meant did not arrive where the scenario meant it to. */
    private Outcome outcome(Delivery delivery, ScenarioPort meant) {
        Matcher through = THROUGH.matcher(delivery.reason());
        while (delivery.delivered() && through.find()) {
            forwarded.merge(through.group(1), 1L, Long::sum);
        }
        boolean arrived = delivery.delivered() && meant.id().equals(delivery.toPort());
        String detail = delivery.reason();
        if (delivery.delivered() && !arrived) {
            detail = "delivered to " + delivery.toPort() + " instead of " + meant.id() + ": " + detail;
        }
        return new Outcome(arrived, detail);
    }
}
