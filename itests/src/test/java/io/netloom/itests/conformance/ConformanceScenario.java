package io.netloom.itests.conformance;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.netloom.api.model.Protocol;

/**
 * The driver conformance scenario: networks, peerings and security groups written through the REST API in stages,
 * and after each stage the reachability every driver must show, new flow by new flow, plus a stateful exchange.
 * It knows nothing of any driver: {@link ConformanceRunner} measures it with a {@link ReachabilityProbe}.
 *
 * <p>The topology:
 * <pre>
 *   conf-a 10.200.0.0/20         conf-b 10.200.16.0/20       conf-c 10.200.32.0/20
 *     a1 10.200.1.0/24: pa1        b1 10.200.17.0/24: pb       c1 10.200.33.0/24: pc
 *     a2 10.200.2.0/24: pa2           group conf-web              group conf-open
 *   peering conf-ab (A-B)         peering conf-bc (B-C)
 * </pre>
 * pa1 and pa2 have no group, so their network's {@code default} group applies (ingress from its members, all
 * egress). {@code conf-web} allows tcp/80 and icmp from A's address space; {@code conf-open} allows icmp from
 * 10.200.0.0/16 and tcp/80 from the members of {@code conf-web} (a remote group: a rule referencing conf-web's
 * address set, whose one member is pb). So C's port would accept A's pings: only routing keeps A from C, which is what
 * non-transitivity means.
 *
 * <p>Stages: {@code isolated} (A-B requested, not accepted), {@code peered} (A-B accepted, B-C active),
 * {@code deny} (a priority-10 deny of tcp/80 from a2 in {@code conf-web}), {@code deny-removed}, {@code stateful}
 * (a reply to A's flow passes B's way while B's own flows to A are blocked) and {@code unpeered} (A-B deleted).
 *
 * <p>Then hub and spoke, the cloud way of extending non-transitive peering: hub conf-h 10.200.48.0/20 holds the
 * appliance port phub (its end forwards, {@link ReachabilityProbe#makeForwarder}; allowed address pairs for both
 * spokes), spokes conf-s1 10.200.64.0/20 (ps1) and conf-s2 10.200.80.0/20 (ps2) are peered with the hub only, and
 * each spoke routes the other through phub ({@link #withHubAndSpoke}). Stages {@code hub-and-spoke} (S1 and S2 reach
 * each other), {@code hub-counted} (the appliance's counter shows it forwarded a ping), {@code hub-no-forwarded}
 * ({@code allowForwardedTraffic} off on H-S2: dropped at that peering), {@code hub-forwarded-again} and
 * {@code hub-route-removed} (S1's route gone: no route).
 *
 * <p>Every address is in 10.200.0.0/16, the range real data planes may use for test traffic inside the network
 * namespaces a test makes.
 */
public final class ConformanceScenario {

    /** The scenario's port names. */
    public static final String PA1 = "pa1";
    /** Second port of A, in the other subnet. */
    public static final String PA2 = "pa2";
    /** The port of B, behind {@code conf-web}. */
    public static final String PB = "pb";
    /** The port of C, behind {@code conf-open}. */
    public static final String PC = "pc";

    /** Sends one REST request as an administrator. */
    @FunctionalInterface
    public interface Rest {
        /**
         * @param method the HTTP method
         * @param path the path under {@code /netloom/api/v1}, with its query
         * @param body the JSON body, or {@code null}
         * @return the answer
         * @throws Exception when the request cannot be sent
         */
        Answer call(String method, String path, String body) throws Exception;
    }

    /**
     * A REST answer.
     *
     * @param status the HTTP status
     * @param body the body, empty for none
     */
    public record Answer(int status, String body) {

        /**
         * @return the body parsed as JSON
         */
        public JsonElement json() {
            return JsonParser.parseString(body);
        }
    }

    /** The writes that make a stage. */
    @FunctionalInterface
    public interface Setup {
        /**
         * @throws Exception when a write fails
         */
        void run() throws Exception;
    }

    /** Whether an exchange opens a flow or answers one. */
    public enum Kind {
        /** The first packet of a new flow: explain predicts it. */
        NEW_FLOW,
        /** The reply of the flow the probe names, sent from its destination back to its source. */
        REPLY
    }

    /**
     * One packet of an ordered exchange, and what must happen to it.
     *
     * @param kind a new flow or a reply
     * @param probe the flow, as opened (for a reply too: the reply travels {@code probe.to()} to {@code probe.from()})
     * @param expected {@link Verdict#ALLOW} when it must arrive; for a reply, {@link Verdict#DENY} when it must not
     */
    public record Exchange(Kind kind, Probe probe, Verdict expected) {

        /**
         * @return the exchange as a person reads it
         */
        public String label() {
            return kind == Kind.NEW_FLOW ? "new " + probe.label()
                    : "reply " + probe.to() + " -> " + probe.from() + " of " + probe.traffic();
        }
    }

    /**
     * One stage of the scenario.
     *
     * @param name a short name, such as {@code peered}
     * @param description what the stage changed, for failure messages
     * @param setup the writes that make it
     * @param matrix each probe with its expected verdict; each is measured as a new flow on its own
     * @param sequence packets measured in this order, after forgetting all flows once; empty for most stages
     */
    public record Stage(String name, String description, Setup setup, Map<Probe, Verdict> matrix,
            List<Exchange> sequence) {

        /**
         * Freezes the collections, keeping the matrix's order.
         */
        public Stage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(setup, "setup");
            matrix = Collections.unmodifiableMap(new LinkedHashMap<>(matrix));
            sequence = List.copyOf(sequence);
        }
    }

    private static final Probe A1_A2_ICMP = new Probe(PA1, PA2, Protocol.ICMP, 0);
    private static final Probe A2_A1_SSH = new Probe(PA2, PA1, Protocol.TCP, 22);
    private static final Probe A1_B_WEB = new Probe(PA1, PB, Protocol.TCP, 80);
    private static final Probe A2_B_WEB = new Probe(PA2, PB, Protocol.TCP, 80);
    private static final Probe A1_B_ICMP = new Probe(PA1, PB, Protocol.ICMP, 0);
    private static final Probe A1_B_81 = new Probe(PA1, PB, Protocol.TCP, 81);
    private static final Probe B_A1_ICMP = new Probe(PB, PA1, Protocol.ICMP, 0);
    private static final Probe B_C_ICMP = new Probe(PB, PC, Protocol.ICMP, 0);
    private static final Probe B_C_WEB = new Probe(PB, PC, Protocol.TCP, 80);
    private static final Probe A1_C_ICMP = new Probe(PA1, PC, Protocol.ICMP, 0);
    private static final Probe A1_C_WEB = new Probe(PA1, PC, Protocol.TCP, 80);
    private static final Probe C_A1_ICMP = new Probe(PC, PA1, Protocol.ICMP, 0);
    private static final Probe C_B_WEB = new Probe(PC, PB, Protocol.TCP, 80);
    private static final Probe B_A1_SSH = new Probe(PB, PA1, Protocol.TCP, 22);

    /** The hub's appliance port, which forwards between the spokes. */
    public static final String PHUB = "phub";
    /** The port of spoke S1. */
    public static final String PS1 = "ps1";
    /** The port of spoke S2. */
    public static final String PS2 = "ps2";

    private static final Probe S1_S2_ICMP = new Probe(PS1, PS2, Protocol.ICMP, 0);
    private static final Probe S1_S2_WEB = new Probe(PS1, PS2, Protocol.TCP, 80);
    private static final Probe S2_S1_WEB = new Probe(PS2, PS1, Protocol.TCP, 80);
    private static final Probe S1_HUB_ICMP = new Probe(PS1, PHUB, Protocol.ICMP, 0);

    /** Every stage measures the same probes, so the matrices of two stages compare line by line. */
    private static final List<Probe> PROBES = List.of(A1_A2_ICMP, A2_A1_SSH, A1_B_WEB, A2_B_WEB, A1_B_ICMP, A1_B_81,
            B_A1_ICMP, B_C_ICMP, B_C_WEB, A1_C_ICMP, A1_C_WEB, C_A1_ICMP, C_B_WEB);

    /** How long each write of the scenario waits for its realisation. */
    static final String WRITE_WAIT = "20s";
    /** How often the flip stage adds and deletes the deny rule. */
    static final int FLIPS = 50;

    private final Rest rest;
    private final ReachabilityProbe probe;
    private final Optional<String> driver;
    private final int flips;
    private final Map<String, ScenarioPort> ports = new LinkedHashMap<>();
    private boolean hubAndSpoke;
    private Function<String, Optional<String>> hosts = name -> Optional.empty();

    private String networkA;
    private String networkB;
    private String networkC;
    private String webGroup;
    private String openGroup;
    private String peeringAb;
    private String peeringBc;
    private String denyRule;
    private String networkH;
    private String networkS1;
    private String networkS2;
    private String applianceGroup;
    private String spokeGroup;
    private String peeringHs1;
    private String peeringHs2;
    private String routeS1;

    /**
     * @param rest sends requests as an administrator
     * @param probe names the namespaces ports are bound to (the scenario asks it before creating each port)
     * @param driver the driver type of the scenario's networks, or empty for the default one
     */
    public ConformanceScenario(Rest rest, ReachabilityProbe probe, Optional<String> driver) {
        this(rest, probe, driver, FLIPS);
    }

    /**
     * @param flips how often the flip stage adds and deletes the deny rule
     */
    public ConformanceScenario(Rest rest, ReachabilityProbe probe, Optional<String> driver, int flips) {
        this.flips = flips;
        this.rest = Objects.requireNonNull(rest, "rest");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.driver = Objects.requireNonNull(driver, "driver");
    }

    /**
     * Adds the hub-and-spoke stages after the others, for a driver that realises appliances (next hops in a peered
     * network, allowed address pairs, {@code allowForwardedTraffic}).
     *
     * @return this scenario
     */
    public ConformanceScenario withHubAndSpoke() {
        hubAndSpoke = true;
        return this;
    }

    /**
     * Places the scenario's ports on nodes: each port is created with the {@code host} the function names for it
     * (none: the default node of its network's driver type).
     *
     * @param hostOfPort the node id or name for a port name of the scenario
     * @return this scenario
     */
    public ConformanceScenario withHosts(Function<String, Optional<String>> hostOfPort) {
        hosts = Objects.requireNonNull(hostOfPort, "hostOfPort");
        return this;
    }

    /**
     * @return the ports created so far, by the scenario's names
     */
    public Map<String, ScenarioPort> ports() {
        return Collections.unmodifiableMap(ports);
    }

    /**
     * @param name a port name of the scenario
     * @return the port
     * @throws IllegalStateException when no stage has created it yet
     */
    public ScenarioPort port(String name) {
        ScenarioPort port = ports.get(name);
        if (port == null) {
            throw new IllegalStateException("The scenario has not created port " + name + " yet");
        }
        return port;
    }

    /**
     * @return the stages, in the order they must run
     */
    public List<Stage> stages() {
        List<Stage> stages = new ArrayList<>(List.of(
                new Stage("isolated", "three networks, ports and groups; peering A-B requested, not accepted",
                        this::isolated, matrix(Map.of(
                                A1_A2_ICMP, Verdict.ALLOW,
                                A2_A1_SSH, Verdict.ALLOW)), List.of()),
                new Stage("peered", "peering A-B accepted, peering B-C created with auto-accept", this::peered,
                        peeredMatrix(Verdict.ALLOW), List.of()),
                new Stage("deny", "conf-web denies tcp/80 from A's subnet a2 at priority 10", this::deny,
                        peeredMatrix(Verdict.DENY), List.of()),
                new Stage("deny-removed", "the deny rule of conf-web deleted", this::denyRemoved,
                        peeredMatrix(Verdict.ALLOW), List.of()),
                new Stage("flip", "the deny rule added and deleted " + flips + " times, the first packet checked "
                        + "after each write", this::flip, peeredMatrix(Verdict.ALLOW), List.of()),
                new Stage("stateful", "nothing written: a reply to A's flow passes B's way, B's own flows do not",
                        () -> { }, Map.of(), List.of(
                                new Exchange(Kind.REPLY, A1_B_WEB, Verdict.DENY),
                                new Exchange(Kind.NEW_FLOW, A1_B_WEB, Verdict.ALLOW),
                                new Exchange(Kind.REPLY, A1_B_WEB, Verdict.ALLOW),
                                new Exchange(Kind.NEW_FLOW, B_A1_ICMP, Verdict.DENY),
                                new Exchange(Kind.NEW_FLOW, B_A1_SSH, Verdict.DENY),
                                new Exchange(Kind.NEW_FLOW, A1_B_ICMP, Verdict.ALLOW),
                                new Exchange(Kind.REPLY, A1_B_ICMP, Verdict.ALLOW))),
                new Stage("unpeered", "peering A-B deleted; B-C stays", this::unpeered, matrix(Map.of(
                        A1_A2_ICMP, Verdict.ALLOW,
                        A2_A1_SSH, Verdict.ALLOW,
                        B_C_ICMP, Verdict.ALLOW,
                        B_C_WEB, Verdict.ALLOW,
                        C_B_WEB, Verdict.DENY)), List.of())));
        if (hubAndSpoke) {
            stages.addAll(hubStages());
        }
        return List.copyOf(stages);
    }

    private List<Stage> hubStages() {
        return List.of(
                new Stage("hub-and-spoke", "hub H with a forwarding appliance (allowed address pairs for both "
                        + "spokes), spokes S1 and S2 peered with H only (forwarded traffic allowed), each routing the "
                        + "other through the appliance", this::hubAndSpoke, hubMatrix(Verdict.ALLOW, true),
                        List.of()),
                new Stage("hub-counted", "nothing written: a ping S1 -> S2 is forwarded by the appliance, as its "
                        + "counter shows", this::hubCounted, hubMatrix(Verdict.ALLOW, true), List.of()),
                new Stage("hub-no-forwarded", "allowForwardedTraffic off on peering H-S2: what the appliance "
                        + "forwards stops at that peering", () -> hubForwarded(false),
                        hubMatrix(Verdict.DENY, false), List.of()),
                new Stage("hub-forwarded-again", "allowForwardedTraffic on again on peering H-S2",
                        () -> hubForwarded(true), hubMatrix(Verdict.ALLOW, true), List.of()),
                new Stage("hub-route-removed", "S1's route to S2 through the appliance deleted", this::hubRouteRemoved,
                        hubMatrix(Verdict.NO_ROUTE, false), List.of()));
    }

    /**
     * The hub stages' matrix. A flow S2 -> S1 is measured only while S1 -> S2 passes too: its replies take the way
     * back through the appliance, so a probe that needs them (a ping, a TCP handshake) could not tell one direction
     * from the other.
     *
     * @param spokes the verdict of S1's flows to S2
     * @param back whether S2's flow to S1 is measured
     */
    private static Map<Probe, Verdict> hubMatrix(Verdict spokes, boolean back) {
        Map<Probe, Verdict> m = new LinkedHashMap<>();
        m.put(S1_S2_ICMP, spokes);
        m.put(S1_S2_WEB, spokes);
        if (back) {
            m.put(S2_S1_WEB, spokes);
        }
        m.put(S1_HUB_ICMP, Verdict.ALLOW);
        return m;
    }

    /** The matrix once A-B and B-C are active; {@code a2ToWeb} is what the deny stage changes. */
    private static Map<Probe, Verdict> peeredMatrix(Verdict a2ToWeb) {
        Map<Probe, Verdict> m = new LinkedHashMap<>();
        m.put(A1_A2_ICMP, Verdict.ALLOW);
        m.put(A2_A1_SSH, Verdict.ALLOW);
        m.put(A1_B_WEB, Verdict.ALLOW);
        m.put(A2_B_WEB, a2ToWeb);
        m.put(A1_B_ICMP, Verdict.ALLOW);
        m.put(A1_B_81, Verdict.DENY);
        m.put(B_A1_ICMP, Verdict.DENY);
        m.put(B_C_ICMP, Verdict.ALLOW);
        m.put(B_C_WEB, Verdict.ALLOW);
        m.put(C_B_WEB, Verdict.DENY);
        return matrix(m);
    }

    /**
     * @param reachable the probes whose verdict is not {@link Verdict#NO_ROUTE}
     * @return every probe of {@link #PROBES} in order, {@code NO_ROUTE} unless {@code reachable} says otherwise
     */
    private static Map<Probe, Verdict> matrix(Map<Probe, Verdict> reachable) {
        Map<Probe, Verdict> m = new LinkedHashMap<>();
        for (Probe p : PROBES) {
            m.put(p, reachable.getOrDefault(p, Verdict.NO_ROUTE));
        }
        return m;
    }

    /**
     * Deletes everything the stages created that still exists: ports, peerings, networks and groups, so that a real
     * driver removes what it made for them. Tolerates objects already gone and stages never run.
     *
     * @return what could not be deleted, one line each; empty when everything went
     * @throws Exception when a request cannot be sent
     */
    public List<String> cleanUp() throws Exception {
        List<String> paths = new ArrayList<>();
        ports.values().forEach(p -> paths.add("/ports/" + p.id()));
        for (String peering : new String[] {peeringAb, peeringBc, peeringHs1, peeringHs2}) {
            if (peering != null) {
                paths.add("/peerings/" + peering);
            }
        }
        for (String network : new String[] {networkA, networkB, networkC, networkH, networkS1, networkS2}) {
            if (network != null) {
                paths.add("/networks/" + network);
            }
        }
        // conf-open refers to conf-web, so it goes first.
        for (String group : new String[] {openGroup, webGroup, applianceGroup, spokeGroup}) {
            if (group != null) {
                paths.add("/security-groups/" + group);
            }
        }
        return deleteAll(rest, paths);
    }

    /**
     * Deletes objects, in order, tolerating those already gone.
     *
     * @param rest the REST API
     * @param paths the objects' paths
     * @return what could not be deleted, one line each
     * @throws Exception when a request cannot be sent
     */
    static List<String> deleteAll(Rest rest, List<String> paths) throws Exception {
        List<String> left = new ArrayList<>();
        for (String path : paths) {
            Answer answer = rest.call("DELETE", path, null);
            if (answer.status() != 204 && answer.status() != 404) {
                left.add("DELETE " + path + " -> " + answer.status() + " " + answer.body());
            }
        }
        return left;
    }

    // ---- the writes ----

    private void isolated() throws Exception {
        networkA = network("conf-a", "10.200.0.0/20");
        String a1 = subnet(networkA, "a1", "10.200.1.0/24");
        String a2 = subnet(networkA, "a2", "10.200.2.0/24");
        networkB = network("conf-b", "10.200.16.0/20");
        String b1 = subnet(networkB, "b1", "10.200.17.0/24");
        networkC = network("conf-c", "10.200.32.0/20");
        String c1 = subnet(networkC, "c1", "10.200.33.0/24");

        webGroup = group("conf-web");
        rule(webGroup, "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"80\","
                + "\"remoteCidr\":\"10.200.0.0/20\"}");
        rule(webGroup, "{\"direction\":\"ingress\",\"protocol\":\"icmp\",\"remoteCidr\":\"10.200.0.0/20\"}");
        openGroup = group("conf-open");
        rule(openGroup, "{\"direction\":\"ingress\",\"protocol\":\"icmp\",\"remoteCidr\":\"10.200.0.0/16\"}");
        rule(openGroup, "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"80\",\"remoteGroup\":\""
                + webGroup + "\"}");

        port(PA1, networkA, a1, List.of());
        port(PA2, networkA, a2, List.of());
        port(PB, networkB, b1, List.of(webGroup));
        port(PC, networkC, c1, List.of(openGroup));

        peeringAb = id(expect(201, "POST", "/peerings", "{\"name\":\"conf-ab\",\"network\":\"" + networkA
                + "\",\"peerNetwork\":\"" + networkB + "\"}"));
    }

    private void peered() throws Exception {
        expect(200, "POST", "/peerings/" + peeringAb + "/accept", null);
        peeringBc = id(expect(201, "POST", "/peerings", "{\"name\":\"conf-bc\",\"network\":\"" + networkB
                + "\",\"peerNetwork\":\"" + networkC + "\",\"autoAccept\":true}"));
    }

    private void deny() throws Exception {
        denyRule = rule(webGroup, "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"80\","
                + "\"remoteCidr\":\"10.200.2.0/24\",\"action\":\"deny\",\"priority\":10}");
    }

    private void denyRemoved() throws Exception {
        expect(204, "DELETE", "/security-groups/" + webGroup + "/rules/" + denyRule, null);
    }

    /**
     * Adds and deletes the deny rule {@link #flips} times; after each write has answered (it waited for the write to
     * be realised) the very first packet of a new flow a2 → b tcp/80 must obey it: no retry.
     */
    private void flip() throws Exception {
        for (int i = 1; i <= flips; i++) {
            deny();
            probe.forgetFlows();
            ReachabilityProbe.Outcome denied = probe.newFlow(port(PA2), port(PB), Protocol.TCP, 80);
            assertEquals("flip " + i + ": the first packet after the deny rule's write was " + denied.detail(),
                    false, denied.delivered());
            denyRemoved();
            probe.forgetFlows();
            ReachabilityProbe.Outcome allowed = probe.newFlow(port(PA2), port(PB), Protocol.TCP, 80);
            assertEquals("flip " + i + ": the first packet after the deny rule's delete was " + allowed.detail(),
                    true, allowed.delivered());
        }
    }

    private void unpeered() throws Exception {
        expect(204, "DELETE", "/peerings/" + peeringAb, null);
    }

    /**
     * Hub H 10.200.48.0/20 with the appliance phub (a forwarder; group conf-fw admits everything from 10.200.0.0/16;
     * allowed address pairs: both spokes' address spaces), spokes S1 10.200.64.0/20 and S2 10.200.80.0/20 (group
     * conf-spoke admits icmp and tcp/80 from both spokes), peerings H-S1 and H-S2 with forwarded traffic allowed,
     * and in each spoke a static route to the other through phub.
     */
    private void hubAndSpoke() throws Exception {
        networkH = network("conf-h", "10.200.48.0/20");
        String h1 = subnet(networkH, "h1", "10.200.49.0/24");
        networkS1 = network("conf-s1", "10.200.64.0/20");
        String s1 = subnet(networkS1, "s1", "10.200.65.0/24");
        networkS2 = network("conf-s2", "10.200.80.0/20");
        String s2 = subnet(networkS2, "s2", "10.200.81.0/24");
        applianceGroup = group("conf-fw");
        rule(applianceGroup, "{\"direction\":\"ingress\",\"protocol\":\"any\",\"remoteCidr\":\"10.200.0.0/16\"}");
        spokeGroup = group("conf-spoke");
        rule(spokeGroup, "{\"direction\":\"ingress\",\"protocol\":\"icmp\",\"remoteCidr\":\"10.200.64.0/19\"}");
        rule(spokeGroup, "{\"direction\":\"ingress\",\"protocol\":\"tcp\",\"ports\":\"80\","
                + "\"remoteCidr\":\"10.200.64.0/19\"}");
        port(PHUB, networkH, h1, List.of(applianceGroup), ",\"allowedAddressPairs\":["
                + "{\"ipAddress\":\"10.200.64.0/20\"},{\"ipAddress\":\"10.200.80.0/20\"}]");
        probe.makeForwarder(port(PHUB));
        port(PS1, networkS1, s1, List.of(spokeGroup));
        port(PS2, networkS2, s2, List.of(spokeGroup));
        peeringHs1 = hubPeering("conf-hs1", networkS1);
        peeringHs2 = hubPeering("conf-hs2", networkS2);
        String appliance = port(PHUB).ip();
        routeS1 = id(expect(201, "POST", "/networks/" + networkS1 + "/static-routes", "{\"destination\":"
                + "\"10.200.80.0/20\",\"nextHop\":\"" + appliance + "\"}"));
        expect(201, "POST", "/networks/" + networkS2 + "/static-routes", "{\"destination\":\"10.200.64.0/20\","
                + "\"nextHop\":\"" + appliance + "\"}");
    }

    private String hubPeering(String name, String spoke) throws Exception {
        return id(expect(201, "POST", "/peerings", "{\"name\":\"" + name + "\",\"network\":\"" + networkH
                + "\",\"peerNetwork\":\"" + spoke + "\",\"autoAccept\":true,\"allowForwardedTraffic\":true}"));
    }

    /** A new ping S1 -> S2 raises the appliance's forwarding counter: the traffic passed through it. */
    private void hubCounted() {
        ScenarioPort appliance = port(PHUB);
        long before = probe.forwarded(appliance).orElseThrow(() -> new IllegalStateException(
                "The probe cannot count what the appliance forwards"));
        probe.forgetFlows();
        ReachabilityProbe.Outcome ping = probe.newFlow(port(PS1), port(PS2), Protocol.ICMP, 0);
        assertEquals("ping S1 -> S2 through the appliance: " + ping.detail(), true, ping.delivered());
        long after = probe.forwarded(appliance).getAsLong();
        assertTrue("The appliance forwarded nothing of the ping S1 -> S2 (counter " + before + " -> " + after + ")",
                after > before);
    }

    private void hubForwarded(boolean allowed) throws Exception {
        expect(200, "PATCH", "/peerings/" + peeringHs2, "{\"allowForwardedTraffic\":" + allowed + "}");
    }

    private void hubRouteRemoved() throws Exception {
        expect(204, "DELETE", "/networks/" + networkS1 + "/static-routes/" + routeS1, null);
    }

    private String network(String name, String cidr) throws Exception {
        String driverField = driver.map(d -> ",\"driver\":\"" + d + "\"").orElse("");
        return id(expect(201, "POST", "/networks", "{\"name\":\"" + name + "\",\"cidrs\":[\"" + cidr + "\"]"
                + driverField + "}"));
    }

    private String subnet(String network, String name, String cidr) throws Exception {
        return id(expect(201, "POST", "/networks/" + network + "/subnets", "{\"name\":\"" + name + "\",\"cidr\":\""
                + cidr + "\"}"));
    }

    private String group(String name) throws Exception {
        return id(expect(201, "POST", "/security-groups", "{\"name\":\"" + name + "\"}"));
    }

    private String rule(String group, String body) throws Exception {
        return id(expect(201, "POST", "/security-groups/" + group + "/rules", body));
    }

    private void port(String name, String network, String subnet, List<String> groups) throws Exception {
        port(name, network, subnet, groups, "");
    }

    /** @param extra more fields of the port's body, each after a comma, or empty */
    private void port(String name, String network, String subnet, List<String> groups, String extra)
            throws Exception {
        List<String> quoted = new ArrayList<>();
        groups.forEach(g -> quoted.add("\"" + g + "\""));
        // No groups: the field is left out, so the network's default group applies.
        String groupField = groups.isEmpty() ? "" : ",\"securityGroups\":[" + String.join(",", quoted) + "]";
        String binding = probe.namespaceFor(name)
                .map(ns -> ",\"binding\":{\"type\":\"netns\",\"target\":\"" + ns + "\"}").orElse("");
        String host = hosts.apply(name).map(h -> ",\"host\":\"" + h + "\"").orElse("");
        JsonObject port = expect(201, "POST", "/ports", "{\"name\":\"" + name + "\",\"network\":\"" + network
                + "\",\"subnet\":\"" + subnet + "\"" + groupField + binding + host + extra + "}").getAsJsonObject();
        ports.put(name, new ScenarioPort(name, id(port), port.get("ip").getAsString(), network));
    }

    /**
     * Sends a request; a write waits until it is realised ({@code ?wait}), so that the first packet after it obeys
     * it. A write not realised in time answers 202, which fails here.
     */
    private JsonElement expect(int status, String method, String path, String body) throws Exception {
        if (!method.equals("GET")) {
            path = path + (path.contains("?") ? "&" : "?") + "wait=" + WRITE_WAIT;
        }
        Answer answer = rest.call(method, path, body);
        assertEquals(method + " " + path + " -> " + answer.body(), status, answer.status());
        return answer.body().isEmpty() ? null : answer.json();
    }

    private static String id(JsonElement object) {
        return object.getAsJsonObject().get("id").getAsString();
    }
}
