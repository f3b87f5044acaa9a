package io.netloom.core.internal.model;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import inet.ipaddr.IPAddress;
import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.ValidationException;
import io.netloom.api.driver.DriverRegistry;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Binding;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Names;
import io.netloom.api.model.Network;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortAdminService;
import io.netloom.api.model.PortService;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.PortUpdate;
import io.netloom.api.model.QuotaService;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.Subnet;
import io.netloom.core.internal.ip.Cidrs;
import io.netloom.core.internal.ip.Ipam;
import io.netloom.core.internal.ip.Macs;

/**
 * Ports: IPAM (an address from the subnet, never the gateway or one in use), MACs unique per network, security
 * group membership and bindings.
 */
@Component(service = {PortService.class, PortAdminService.class})
public class PortManager implements PortAdminService {

    static final Comparator<Port> PORT_ORDER = Comparator.comparing(Port::createdAt).thenComparing(Port::id);
    static final int MAX_GROUPS = 16;
    /** Ports in one bulk create at most. */
    static final int MAX_BULK = 1000;

    private final SecureRandom random = new SecureRandom();

    @Reference
    private ModelRepository repository;

    @Reference
    private DriverRegistry drivers;

    @Reference
    private QuotaManager quotas;

    @Reference
    private NodeManager nodes;

    /** Used by the component runtime. */
    public PortManager() {
    }

    /** For tests: no quotas. */
    public PortManager(ModelRepository repository, DriverRegistry drivers) {
        this(repository, drivers, new QuotaManager(repository, Map.of()));
    }

    /** For tests. */
    public PortManager(ModelRepository repository, DriverRegistry drivers, QuotaManager quotas) {
        this(repository, drivers, quotas, new NodeManager(repository, drivers));
    }

    /** For tests. */
    public PortManager(ModelRepository repository, DriverRegistry drivers, QuotaManager quotas, NodeManager nodes) {
        this.repository = repository;
        this.drivers = drivers;
        this.quotas = quotas;
        this.nodes = nodes;
    }

    @Override
    public List<Port> ports(Caller caller, Optional<String> networkIdOrName) {
        if (networkIdOrName.isPresent()) {
            Network network = repository.resolve(Kind.NETWORK, networkIdOrName.get(), n -> caller.sees(n.tenant()));
            return repository.all(Kind.PORT, p -> p.network().equals(network.id()), PORT_ORDER);
        }
        return repository.all(Kind.PORT, p -> caller.sees(p.tenant()), PORT_ORDER);
    }

    @Override
    public Port port(Caller caller, String idOrName) {
        return repository.resolve(Kind.PORT, idOrName, p -> caller.sees(p.tenant()));
    }


    @Override
    public Port createPort(Caller caller, PortSpec spec) {
        Checked checked = check(spec);
        return repository.write(caller, "port.create", changes -> {
            Port port = stage(caller, checked, changes, new HashMap<>());
            quotas.require(port.tenant(), QuotaService.PORTS, 1);
            return port;
        });
    }

    @Override
    public List<Port> createPorts(Caller caller, List<PortSpec> specs) {
        Bulk.checkSize("ports", specs.size(), MAX_BULK);
        List<Checked> checked = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            int index = i;
            checked.add(atIndex(index, () -> check(specs.get(index))));
        }
        return repository.write(caller, "port.create", changes -> {
            List<Port> created = new ArrayList<>();
            Map<String, NetworkUsage> usage = new HashMap<>();
            for (int i = 0; i < checked.size(); i++) {
                Checked c = checked.get(i);
                created.add(atIndex(i, () -> stage(caller, c, changes, usage)));
            }
            // A bulk create counts as a whole: all of its ports fit in their tenants' quotas, or none is created.
            Map<String, Long> byTenant = new TreeMap<>();
            created.forEach(p -> byTenant.merge(p.tenant(), 1L, Long::sum));
            byTenant.forEach((tenant, count) -> quotas.require(tenant, QuotaService.PORTS, count));
            return List.copyOf(created);
        });
    }

    /**
     * The addresses (by subnet) and MACs a network's ports hold, read once per write and kept current as the write
     * stages ports, so that a bulk create reads the network's ports once, not once per port.
     */
    private static final class NetworkUsage {
        final Map<String, Set<String>> addressesBySubnet = new HashMap<>();
        final Set<String> macs = new HashSet<>();
        /** Subnet id → value of the last free address found: every host below it is taken. */
        private final Map<String, BigInteger> cursors = new HashMap<>();

        NetworkUsage(Collection<Port> ports) {
            ports.forEach(this::add);
        }

        void add(Port port) {
            if (port.hasAddress()) {
                addressesBySubnet.computeIfAbsent(port.subnet(), s -> new HashSet<>()).add(port.ip());
            }
            macs.add(port.mac());
        }

        Set<String> addresses(Subnet subnet) {
            return addressesBySubnet.getOrDefault(subnet.id(), Set.of());
        }

        /** The lowest free address of the subnet, searched from where the last search of this write stopped. */
        Optional<String> free(Subnet subnet, IPAddress prefix) {
            Optional<Ipam.Allocated> found = Ipam.allocate(prefix, subnet.gateway(), subnet.allocationPools(),
                    addresses(subnet), cursors.get(subnet.id()));
            found.ifPresent(a -> cursors.put(subnet.id(), a.value()));
            return found.map(Ipam.Allocated::address);
        }
    }

    /** A port's request with the fields that need no model checked. */
    private record Checked(PortSpec spec, String name, Binding binding, String requestedMac,
            List<AddressPair> pairs) {
    }

    private Checked check(PortSpec spec) {
        String name = Kind.requireName(spec.name(), "name");
        if (spec.network() == null || spec.network().isEmpty()) {
            throw new ValidationException("REQUIRED", "A port needs its network", "network");
        }
        Binding binding = checkBinding(spec.binding());
        String requestedMac = spec.mac() == null ? null : Macs.check(spec.mac(), "mac");
        if (spec.ip() != null) {
            Cidrs.parseAddress(spec.ip(), "ip");
        }
        if (spec.noAddress()) {
            if (spec.subnet() != null || spec.ip() != null) {
                throw new ValidationException("ADDRESS_CONFLICT", "A port without an address names no subnet and no "
                        + "ip", spec.subnet() != null ? "subnet" : "ip");
            }
            if (binding != null) {
                // No driver attaches an L2-only port yet: refused rather than left pending for ever.
                throw new ValidationException("ADDRESS_REQUIRED", "A port without an address cannot be bound yet",
                        "binding");
            }
        }
        return new Checked(spec, name, binding, requestedMac, AddressPairs.check(spec.allowedAddressPairs()));
    }

    /**
     * Validates a port against the model and the ports staged before it in the same write, allocates its address
     * and MAC, and stages it.
     */
    private Port stage(Caller caller, Checked c, ModelRepository.Changes changes, Map<String, NetworkUsage> usages) {
        PortSpec spec = c.spec();
        Network network;
        try {
            network = repository.resolve(Kind.NETWORK, spec.network(), n -> caller.sees(n.tenant()));
        } catch (io.netloom.api.NotFoundException e) {
            throw new ValidationException("UNKNOWN_NETWORK", "No network '" + spec.network() + "'", "network");
        }
        // The port belongs to the network's tenant: creating it is a write there.
        Access.requireWrite(caller, Kind.NETWORK, network);
        // The ports staged before this one in the same write are in the usage already.
        NetworkUsage usage = usages.computeIfAbsent(network.id(), n -> new NetworkUsage(
                repository.all(Kind.PORT, p -> p.network().equals(n), (a, b) -> 0)));
        Subnet subnet = spec.noAddress() ? null : chooseSubnet(caller, network, spec, usage);
        String ip = subnet == null ? null : address(spec, subnet, usage);
        if (subnet != null && subnet.gateway() == null && c.binding() != null) {
            // No driver realises a subnet without a gateway yet: refused rather than left pending for ever.
            throw new ValidationException("GATEWAY_REQUIRED", "Subnet " + subnet.name() + " has no gateway: a port "
                    + "in it cannot be bound yet", "binding");
        }
        Set<String> macs = usage.macs;
        String mac;
        if (c.requestedMac() != null) {
            if (macs.contains(c.requestedMac())) {
                throw new ConflictException("MAC_IN_USE", "MAC " + c.requestedMac() + " is already used in network "
                        + network.name(), "mac");
            }
            mac = c.requestedMac();
        } else {
            mac = Macs.generate(random, macs);
        }
        List<String> groups = resolveGroups(caller, network, spec.securityGroups());
        String host = nodes.place(caller, spec.host(), network, "host");
        RealisationStatus status = drivers.driver(network.driver()).isPresent() ? RealisationStatus.PENDING
                : RealisationStatus.DRIVER_MISSING;
        String detail = status == RealisationStatus.DRIVER_MISSING
                ? "No driver of type '" + network.driver() + "' is registered" : "";
        Port port = new Port(repository.newId(Kind.PORT), c.name(), network.tenant(), network.id(),
                subnet == null ? null : subnet.id(), ip, mac, groups, c.binding(), repository.now(), status, detail,
                false, c.pairs(), host, spec.adminDown());
        changes.put(Kind.PORT, null, port);
        usage.add(port);
        return port;
    }

    /** The port with the address the update asks for, chosen and checked as at creation. */
    private Port readdressed(Caller caller, Port port, PortUpdate update) {
        String field = update.subnet().isPresent() ? "subnet" : "ip";
        if (port.binding() != null) {
            // A bound workload holds its address: changing it under it is not supported.
            throw new ConflictException("PORT_BOUND", "The address of a bound port cannot change", field);
        }
        Network network = repository.byId(Kind.NETWORK, port.network()).orElseThrow();
        NetworkUsage usage = new NetworkUsage(repository.all(Kind.PORT,
                p -> p.network().equals(network.id()) && !p.id().equals(port.id()), (a, b) -> 0));
        PortSpec spec = new PortSpec(port.name(), network.id(), update.subnet().orElse(null),
                update.ip().orElse(null), null, null, null);
        if (spec.ip() != null) {
            Cidrs.parseAddress(spec.ip(), "ip");
        }
        Subnet subnet = chooseSubnet(caller, network, spec, usage);
        return port.withAddress(subnet.id(), address(spec, subnet, usage));
    }

    /** The address the port asks for, checked, or the first free one of its subnet. */
    private static String address(PortSpec spec, Subnet subnet, NetworkUsage usage) {
        Set<String> used = usage.addresses(subnet);
        IPAddress prefix = Cidrs.parsePrefix(subnet.cidr(), "subnet");
        return spec.ip() != null ? Ipam.checkExplicit(prefix, subnet.gateway(), used, spec.ip(), "ip")
                : usage.free(subnet, prefix).orElseThrow(() -> new ConflictException(
                        "SUBNET_EXHAUSTED", "Subnet " + subnet.name() + " (" + subnet.cidr()
                                + ") has no free address", "subnet"));
    }

    /**
     * Runs one item of a bulk request; a refusal names the item: field {@code [3].ip} is the {@code ip} of the
     * fourth.
     */
    private static <T> T atIndex(int index, Supplier<T> item) {
        return Bulk.atIndex("Port", index, item);
    }

    private Subnet chooseSubnet(Caller caller, Network network, PortSpec spec, NetworkUsage usage) {
        List<Subnet> subnets = repository.all(Kind.SUBNET, s -> s.network().equals(network.id()),
                NetworkManager.SUBNET_ORDER);
        if (spec.subnet() != null) {
            for (Subnet s : subnets) {
                if (s.id().equals(spec.subnet()) || s.name().equals(spec.subnet())) {
                    return s;
                }
            }
            throw new ValidationException("UNKNOWN_SUBNET", "Network " + network.name() + " has no subnet '"
                    + spec.subnet() + "'", "subnet");
        }
        if (subnets.isEmpty()) {
            throw new ConflictException("NO_SUBNET", "Network " + network.name()
                    + " has no subnet: create one first", "network");
        }
        if (spec.ip() != null) {
            IPAddress address = Cidrs.parseAddress(spec.ip(), "ip");
            for (Subnet s : subnets) {
                if (Cidrs.contains(Cidrs.parsePrefix(s.cidr(), "subnet"), address)) {
                    return s;
                }
            }
            throw new ValidationException("INVALID_ADDRESS", spec.ip() + " is in no subnet of network "
                    + network.name(), "ip");
        }
        for (Subnet s : subnets) {
            IPAddress prefix = Cidrs.parsePrefix(s.cidr(), "subnet");
            if (usage.free(s, prefix).isPresent()) {
                return s;
            }
        }
        throw new ConflictException("SUBNET_EXHAUSTED", "Every subnet of network " + network.name()
                + " is full", "network");
    }

    private static Binding checkBinding(Binding binding) {
        if (binding == null) {
            return null;
        }
        if (!Binding.NETNS.equals(binding.type())) {
            throw new ValidationException("INVALID_BINDING", "The binding type must be 'netns'", "binding.type");
        }
        if (!Names.isValid(binding.target())) {
            throw new ValidationException("INVALID_BINDING", "A namespace name is 1-63 characters of letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit", "binding.target");
        }
        return binding;
    }

    private List<String> resolveGroups(Caller caller, Network network, List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        if (requested.size() > MAX_GROUPS) {
            throw new ValidationException("TOO_MANY_GROUPS", "A port has at most " + MAX_GROUPS + " security groups",
                    "securityGroups");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < requested.size(); i++) {
            String field = "securityGroups[" + i + "]";
            SecurityGroup group;
            group = SecurityGroupManager.referencedGroup(repository, caller, requested.get(i), field);
            if (group.network() != null && !group.network().equals(network.id())) {
                throw new ValidationException("FOREIGN_DEFAULT_GROUP", "Security group " + group.id()
                        + " is the default group of another network", field);
            }
            if (!ids.contains(group.id())) {
                ids.add(group.id());
            }
        }
        return ids;
    }

    @Override
    public void deletePort(Caller caller, String idOrName) {
        repository.write(caller, "port.delete", changes -> {
            changes.delete(Kind.PORT, Access.requireWrite(caller, Kind.PORT, port(caller, idOrName)));
            return null;
        });
    }

    @Override
    public Port setSecurityGroups(Caller caller, String idOrName, List<String> groups) {
        if (groups == null) {
            throw new ValidationException("REQUIRED", "A list of security group ids is required", null);
        }
        return repository.write(caller, "port.security-groups", changes -> {
            Port port = Access.requireWrite(caller, Kind.PORT, port(caller, idOrName));
            Network network = repository.byId(Kind.NETWORK, port.network()).orElseThrow();
            List<String> ids = resolveGroups(caller, network, groups);
            Port updated = port.withSecurityGroups(ids);
            changes.put(Kind.PORT, port, updated);
            return updated;
        });
    }

    @Override
    public Port updatePort(Caller caller, String idOrName, PortUpdate update) {
        Optional<String> name = update.name().map(n -> Kind.requireName(n, "name"));
        Optional<List<AddressPair>> pairs = update.allowedAddressPairs().map(AddressPairs::check);
        return repository.write(caller, "port.update", changes -> {
            Port port = Access.requireWrite(caller, Kind.PORT, port(caller, idOrName));
            Port updated = port;
            if (name.isPresent()) {
                updated = updated.withName(name.get());
            }
            if (update.securityGroups().isPresent()) {
                Network network = repository.byId(Kind.NETWORK, port.network()).orElseThrow();
                updated = updated.withSecurityGroups(resolveGroups(caller, network, update.securityGroups().get()));
            }
            if (pairs.isPresent()) {
                updated = updated.withAllowedAddressPairs(pairs.get());
            }
            if (update.adminDown().isPresent()) {
                updated = updated.withAdminDown(update.adminDown().get());
            }
            if (update.readdresses()) {
                updated = readdressed(caller, updated, update);
            }
            if (updated.equals(port)) {
                return port; // nothing to change, nothing to audit
            }
            changes.put(Kind.PORT, port, updated);
            return updated;
        });
    }

    @Override
    public Port setQuarantine(Caller caller, String idOrName, boolean quarantined) {
        return repository.write(caller, quarantined ? "port.quarantine" : "port.release", changes -> {
            Port port = Access.requireWrite(caller, Kind.PORT, port(caller, idOrName));
            if (!caller.writesEverywhere()) {
                throw new ForbiddenException("Only an administrator (netloom-admin) may quarantine or release a "
                        + "port");
            }
            if (port.quarantined() == quarantined) {
                return port; // nothing to change, nothing to audit
            }
            Port updated = port.withQuarantine(quarantined);
            changes.put(Kind.PORT, port, updated);
            return updated;
        });
    }
}
