package io.netloom.firewall.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.netloom.api.NotFoundException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupService;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.StaticRoute;

/**
 * An in-memory model that announces every change to its listeners at once, on the calling thread. Names are ids
 * too, which keeps tests readable. Tenancy is ignored: every caller sees everything.
 */
final class FakeModel implements PortService, SecurityGroupService, NetworkService, PeeringService {

    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Port> ports = new LinkedHashMap<>();
    private final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
    private final Map<String, Peering> peerings = new LinkedHashMap<>();
    private final List<ModelListener> listeners = new ArrayList<>();
    private long clock;
    private int ruleIds;

    void listen(ModelListener listener) {
        listeners.add(listener);
    }

    private Instant now() {
        return Instant.EPOCH.plusSeconds(++clock);
    }

    private void announce(ModelEvent.Type type, Object subject, Object previous) {
        ModelEvent event = new ModelEvent(type, subject, previous);
        listeners.forEach(l -> l.event(event));
    }

    /** Creates a network and, as the model does, its default group (id {@code <network>-default}). */
    Network network(String id, String... cidrs) {
        Network network = new Network(id, id, "t", List.of(cidrs), "sim", now(), RealisationStatus.PENDING, "");
        networks.put(id, network);
        announce(ModelEvent.Type.CREATED, network, null);
        String groupId = id + "-default";
        Rule fromMembers = new Rule(id + "-default-rule", Direction.INGRESS, Protocol.ANY, null, null, null, groupId,
                RuleAction.ALLOW, Rule.DEFAULT_PRIORITY);
        putGroup(new SecurityGroup(groupId, "default", "t", "", id, List.of(fromMembers), now()));
        return network;
    }

    SecurityGroup group(String id) {
        return putGroup(new SecurityGroup(id, id, "t", "", null, List.of(), now()));
    }

    /** Adds a rule to a group; returns the rule. */
    Rule rule(String groupId, Direction direction, Protocol protocol, Integer portMin, Integer portMax,
            String remoteCidr, String remoteGroup, RuleAction action, int priority) {
        Rule rule = new Rule("r" + (++ruleIds), direction, protocol, portMin, portMax, remoteCidr, remoteGroup,
                action, priority);
        SecurityGroup g = groups.get(groupId);
        List<Rule> rules = new ArrayList<>(g.rules());
        rules.add(rule);
        putGroup(new SecurityGroup(g.id(), g.name(), g.tenant(), g.description(), g.network(), rules,
                g.createdAt()));
        return rule;
    }

    void removeRule(String groupId, String ruleId) {
        SecurityGroup g = groups.get(groupId);
        List<Rule> rules = new ArrayList<>(g.rules());
        rules.removeIf(r -> r.id().equals(ruleId));
        putGroup(new SecurityGroup(g.id(), g.name(), g.tenant(), g.description(), g.network(), rules,
                g.createdAt()));
    }

    private SecurityGroup putGroup(SecurityGroup group) {
        SecurityGroup before = groups.put(group.id(), group);
        announce(before == null ? ModelEvent.Type.CREATED : ModelEvent.Type.UPDATED, group, before);
        return group;
    }

    void deleteGroup(String id) {
        announce(ModelEvent.Type.DELETED, groups.remove(id), null);
    }

    Port port(String id, String network, String ip, String... groupIds) {
        // Without an address (ip null) the port is L2 only: no subnet either.
        Port port = new Port(id, id, "t", network, ip == null ? null : network + "-subnet", ip, "02:00:00:00:00:01",
                List.of(groupIds),
                null, now(), RealisationStatus.PENDING, "");
        ports.put(id, port);
        announce(ModelEvent.Type.CREATED, port, null);
        return port;
    }

    Port setGroups(String portId, String... groupIds) {
        return updatePort(portId, p -> new Port(p.id(), p.name(), p.tenant(), p.network(), p.subnet(), p.ip(),
                p.mac(), List.of(groupIds), p.binding(), p.createdAt(), p.status(), p.statusDetail()));
    }

    Port setStatus(String portId, RealisationStatus status) {
        return updatePort(portId, p -> new Port(p.id(), p.name(), p.tenant(), p.network(), p.subnet(), p.ip(),
                p.mac(), p.securityGroups(), p.binding(), p.createdAt(), status, p.statusDetail()));
    }

    Port setQuarantine(String portId, boolean quarantined) {
        return updatePort(portId, p -> p.withQuarantine(quarantined));
    }

    Port setAdminDown(String portId, boolean down) {
        return updatePort(portId, p -> p.withAdminDown(down));
    }

    private Port updatePort(String portId, Function<Port, Port> change) {
        Port before = ports.get(portId);
        Port after = change.apply(before);
        ports.put(portId, after);
        announce(ModelEvent.Type.UPDATED, after, before);
        return after;
    }

    void deletePort(String id) {
        announce(ModelEvent.Type.DELETED, ports.remove(id), null);
    }

    Peering peering(String id, String network, String peerNetwork, boolean allowForwarded, PeeringState state) {
        Peering peering = new Peering(id, id, "t", network, peerNetwork, allowForwarded, state, "", now(), now());
        Peering before = peerings.put(id, peering);
        announce(before == null ? ModelEvent.Type.CREATED : ModelEvent.Type.UPDATED, peering, before);
        return peering;
    }

    private static <T> T find(Map<String, T> map, String kind, String idOrName) {
        T found = map.get(idOrName);
        if (found == null) {
            throw new NotFoundException(kind, idOrName);
        }
        return found;
    }

    @Override
    public List<Port> ports(Caller caller, Optional<String> networkIdOrName) {
        return ports.values().stream().filter(p -> networkIdOrName.map(p.network()::equals).orElse(true)).toList();
    }

    @Override
    public Port port(Caller caller, String idOrName) {
        return find(ports, "port", idOrName);
    }

    @Override
    public List<SecurityGroup> groups(Caller caller) {
        return List.copyOf(groups.values());
    }

    @Override
    public SecurityGroup group(Caller caller, String idOrName) {
        return find(groups, "security group", idOrName);
    }

    @Override
    public List<Network> networks(Caller caller) {
        return List.copyOf(networks.values());
    }

    @Override
    public Network network(Caller caller, String idOrName) {
        return find(networks, "network", idOrName);
    }

    @Override

    public List<StaticRoute> staticRoutes(Caller caller, String networkIdOrName) {

        return List.of();

    }


    @Override
    public List<Subnet> subnets(Caller caller, String networkIdOrName) {
        return List.of();
    }

    @Override
    public Subnet subnet(Caller caller, String idOrName) {
        throw new NotFoundException("subnet", idOrName);
    }

    @Override
    public List<Peering> peerings(Caller caller) {
        return List.copyOf(peerings.values());
    }

    @Override
    public Peering peering(Caller caller, String idOrName) {
        return find(peerings, "peering", idOrName);
    }
}
