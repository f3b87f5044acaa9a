package io.netloom.firewall.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.firewall.Decision;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.firewall.FirewallService;
import io.netloom.api.firewall.LintFinding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.ModelEvent;
import io.netloom.api.model.ModelListener;
import io.netloom.api.model.NetworkService;
import io.netloom.api.model.PeeringService;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortService;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupService;

/**
 * The firewall: compiles every port's security groups when it starts (so a restart loses nothing: all of it is
 * derived from the model) and keeps the result current from model events.
 *
 * <p>Events arrive on the model's one event thread; each updates the {@link FirewallIndex} in place, touching only
 * what the change affects (see there). Readers on any thread read its concurrent maps without locking; a full
 * re-read builds a new index and publishes it through a volatile field.
 */
@Component(service = {FirewallService.class, ModelListener.class},
        // Derived state: applied before the reconciler, which reads it, hears of the same event.
        property = "service.ranking:Integer=100")
public class FirewallManager implements FirewallService, ModelListener {

    private static final Logger LOG = LoggerFactory.getLogger(FirewallManager.class);
    private static final Caller SYSTEM = Caller.system();
    private static final int MAX_TRANSPORT_PORT = 65_535;

    @Reference
    private PortService portService;

    @Reference
    private SecurityGroupService securityGroupService;

    @Reference
    private NetworkService networkService;

    @Reference
    private PeeringService peeringService;

    private volatile FirewallIndex state;

    /** Guarded by {@code this}: whether the state was re-read since the listener started receiving events. */
    private boolean resynced;

    /** Used by the component runtime. */
    public FirewallManager() {
    }

    /**
     * For tests: a manager over the given services, not yet activated.
     *
     * @param ports reads ports
     * @param groups reads security groups
     * @param networks reads networks
     * @param peerings reads peerings
     */
    public FirewallManager(PortService ports, SecurityGroupService groups, NetworkService networks,
            PeeringService peerings) {
        this.portService = ports;
        this.securityGroupService = groups;
        this.networkService = networks;
        this.peeringService = peerings;
    }

    /**
     * Compiles every port from the model as it is now.
     */
    @Activate
    public synchronized void activate() {
        state = load();
        resynced = false;
        LOG.info("Firewall started: {} port(s) and {} security group(s) compiled into {} filter rule(s)",
                state.portCount(), state.groupCount(), state.ruleCount());
    }

    @Deactivate
    synchronized void deactivate() {
        LOG.info("Firewall stopped");
    }

    private FirewallIndex load() {
        List<Port> ports = portService.ports(SYSTEM, Optional.empty());
        List<SecurityGroup> groups = securityGroupService.groups(SYSTEM);
        return FirewallIndex.of(ports, groups);
    }

    /**
     * Applies a model change. The first event re-reads the whole model instead: a change committed between
     * {@link #activate()} reading the model and the model binding this listener is announced to nobody, and
     * re-reading once closes that gap. Replaying later events over a newer read is harmless, since each event
     * carries whole objects.
     */
    @Override
    public synchronized void event(ModelEvent event) {
        if (!resynced) {
            resynced = true;
            state = load();
            LOG.debug("Firewall re-read the model on its first event ({} of a {})", event.type(),
                    event.subject().getClass().getSimpleName());
            return;
        }
        try {
            state.apply(event);
        } catch (RuntimeException e) {
            // Derived state that missed a change would be silently wrong; rebuilding from the model is always right.
            LOG.warn("Firewall could not apply {} of a {}; recompiling everything from the model", event.type(),
                    event.subject().getClass().getSimpleName(), e);
            state = load();
        }
    }

    @Override
    public List<FilterRule> compiled(String portId) {
        Objects.requireNonNull(portId, "portId");
        return state.port(portId).map(CompiledPort::rules).orElse(List.of());
    }

    @Override
    public boolean knows(String portId) {
        Objects.requireNonNull(portId, "portId");
        return state.port(portId).isPresent();
    }

    @Override
    public List<String> memberships(String portId) {
        Objects.requireNonNull(portId, "portId");
        return state.memberships(portId);
    }

    @Override
    public Map<String, String> addressSet(String setId) {
        Objects.requireNonNull(setId, "setId");
        return state.addressSet(setId);
    }

    @Override
    public Decision decide(String portId, Direction direction, Protocol protocol, String remoteAddress,
            int transportPort) {
        Objects.requireNonNull(portId, "portId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(protocol, "protocol");
        if (protocol == Protocol.ANY) {
            throw new ValidationException("INVALID_PROTOCOL", "A packet has one protocol: tcp, udp or icmp",
                    "protocol");
        }
        if (protocol != Protocol.ICMP && (transportPort < 0 || transportPort > MAX_TRANSPORT_PORT)) {
            throw new ValidationException("INVALID_PORTS", "A transport port is 0 to " + MAX_TRANSPORT_PORT
                    + ", not " + transportPort, "transportPort");
        }
        PacketAddress remote = PacketAddress.parse(remoteAddress);
        CompiledPort port = state.port(portId).orElseThrow(() -> new NotFoundException("port", portId));
        return port.engine().decide(direction, protocol, remote, transportPort);
    }

    @Override
    public List<LintFinding> lint(Caller caller, String groupIdOrName) {
        SecurityGroup group = securityGroupService.group(caller, groupIdOrName);
        List<Port> members = portService.ports(SYSTEM, Optional.empty()).stream()
                .filter(p -> ModelSnapshot.isMember(p, group))
                .toList();
        return Linter.lint(group, members, networkService.networks(SYSTEM), peeringService.peerings(SYSTEM));
    }
}
