package io.netloom.core.internal.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.Test;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.NetloomException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringSpec;
import io.netloom.api.model.Port;
import io.netloom.api.model.PortSpec;
import io.netloom.api.model.PortUpdate;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.StaticRouteSpec;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;

/**
 * Every combination of roles against every kind of write, on objects of the caller's tenant ({@code green}) and of
 * another ({@code red}). A write succeeds exactly when the roles grant writing in the tenant of what it changes; a
 * refused write changes nothing and answers 404 (not found, or {@code UNKNOWN_*} for an object named in the body)
 * when the caller cannot see the object, 403 when it can see but not change it.
 */
public class AuthorisationMatrixTest {

    private static final List<String> ROLE_ATOMS = List.of(Caller.ADMIN_ROLE, Caller.VIEWER_ROLE, Caller.USER_ROLE,
            Caller.TENANT_ROLE_PREFIX + "green", "ssh");
    private static final List<String> TENANTS = List.of("green", "red", "blue");

    /** The objects of one tenant, made fresh for each case. */
    private record Fixture(Network network, Subnet subnet, StaticRoute route, Port port, SecurityGroup group,
            Rule rule, Peering incoming, Network spare) {
    }

    /** One kind of write, aimed at the objects of a target tenant. */
    private interface Write {
        void run(World w, Caller caller, Fixture target);
    }

    private static final class World {
        final InMemoryModelStore store = new InMemoryModelStore();
        final ModelRepository repository = new ModelRepository(store, Clock.systemUTC());
        final NetworkManager networks = new NetworkManager(repository, ModelManagersTest.SIM_ONLY);
        final PortManager ports = new PortManager(repository, ModelManagersTest.SIM_ONLY);
        final SecurityGroupManager groups = new SecurityGroupManager(repository);
        final PeeringManager peerings = new PeeringManager(repository);
        final Map<String, Fixture> fixtures = new LinkedHashMap<>();

        World() {
            Caller admin = Caller.of("root", Set.of(Caller.ADMIN_ROLE), "rest");
            for (int i = 0; i < TENANTS.size(); i++) {
                String t = TENANTS.get(i);
                Caller owner = Caller.of("owner-" + t, Set.of(Caller.USER_ROLE, Caller.TENANT_ROLE_PREFIX + t),
                        "rest");
                String base = "10." + (10 + i * 10);
                Network n = networks.createNetwork(owner, new NetworkSpec(t + "-net", List.of(base + ".0.0/16"),
                        null));
                Subnet s = networks.createSubnet(owner, n.id(), new SubnetSpec(t + "-sub", base + ".1.0/24", null));
                StaticRoute r = networks.addStaticRoute(owner, n.id(),
                        new StaticRouteSpec("192.168." + i + ".0/24", base + ".1.10"));
                SecurityGroup g = groups.createGroup(owner, new SecurityGroupSpec(t + "-sg", null));
                Rule rule = groups.addRule(owner, g.id(), new RuleSpec("ingress", "tcp", "22", null, null, null,
                        null));
                Port p = ports.createPort(owner, new PortSpec(t + "-port", n.id(), null, null, null,
                        List.of(g.id()), null));
                // A peering other tenants asked for, waiting for this tenant's answer.
                Network asker = networks.createNetwork(admin, new NetworkSpec(t + "-asker",
                        List.of("10." + (110 + i * 10) + ".0.0/16"), null));
                Peering incoming = peerings.createPeering(admin, new PeeringSpec(t + "-in", asker.id(), n.id(),
                        false, false));
                Network spare = networks.createNetwork(admin, new NetworkSpec(t + "-spare",
                        List.of("10." + (210 + i * 10) + ".0.0/16"), null));
                fixtures.put(t, new Fixture(n, s, r, p, g, groups.group(admin, g.id()).rules().get(0), incoming,
                        spare));
                assertEquals(rule.id(), fixtures.get(t).rule().id());
            }
        }
    }

    private static final Map<String, Write> WRITES_ON_TARGET = new LinkedHashMap<>();
    private static final Map<String, Write> CREATES = new LinkedHashMap<>();

    static {
        WRITES_ON_TARGET.put("network.delete", (w, c, f) -> {
            w.ports.deletePort(Caller.system(), f.port().id());
            w.peerings.deletePeering(Caller.system(), f.incoming().id());
            w.networks.deleteNetwork(c, f.network().id());
        });
        WRITES_ON_TARGET.put("subnet.create", (w, c, f) -> w.networks.createSubnet(c, f.network().id(),
                new SubnetSpec("more", f.subnet().cidr().replace(".1.0/", ".2.0/"), null)));
        WRITES_ON_TARGET.put("subnet.delete", (w, c, f) -> {
            w.ports.deletePort(Caller.system(), f.port().id());
            w.networks.removeStaticRoute(Caller.system(), f.network().id(), f.route().id());
            w.networks.deleteSubnet(c, f.subnet().id());
        });
        WRITES_ON_TARGET.put("static-route.add", (w, c, f) -> w.networks.addStaticRoute(c, f.network().id(),
                new StaticRouteSpec("172.16.0.0/24", f.route().nextHop())));
        WRITES_ON_TARGET.put("static-route.remove", (w, c, f) -> w.networks.removeStaticRoute(c, f.network().id(),
                f.route().id()));
        WRITES_ON_TARGET.put("port.create", (w, c, f) -> w.ports.createPort(c, new PortSpec("intruder",
                f.network().id(), null, null, null, null, null)));
        WRITES_ON_TARGET.put("port.create-bulk", (w, c, f) -> w.ports.createPorts(c, List.of(new PortSpec("intruder",
                f.network().id(), null, null, null, null, null))));
        WRITES_ON_TARGET.put("port.delete", (w, c, f) -> w.ports.deletePort(c, f.port().id()));
        WRITES_ON_TARGET.put("port.security-groups", (w, c, f) -> w.ports.setSecurityGroups(c, f.port().id(),
                List.of()));
        WRITES_ON_TARGET.put("port.update", (w, c, f) -> w.ports.updatePort(c, f.port().id(), new PortUpdate(
                Optional.empty(), Optional.empty(), Optional.of(List.of(new AddressPair("10.9.0.0/16", null))))));
        WRITES_ON_TARGET.put("security-group.delete", (w, c, f) -> {
            w.ports.setSecurityGroups(Caller.system(), f.port().id(), List.of());
            w.groups.deleteGroup(c, f.group().id());
        });
        WRITES_ON_TARGET.put("security-group.rule.add", (w, c, f) -> w.groups.addRule(c, f.group().id(),
                new RuleSpec("ingress", "tcp", "443", "0.0.0.0/0", null, null, null)));
        WRITES_ON_TARGET.put("security-group.rule.remove", (w, c, f) -> w.groups.removeRule(c, f.group().id(),
                f.rule().id()));
        WRITES_ON_TARGET.put("peering.create", (w, c, f) -> w.peerings.createPeering(c, new PeeringSpec("p",
                f.network().id(), f.spare().id(), false, false)));
        WRITES_ON_TARGET.put("peering.accept", (w, c, f) -> w.peerings.accept(c, f.incoming().id()));
        WRITES_ON_TARGET.put("peering.reject", (w, c, f) -> w.peerings.reject(c, f.incoming().id()));
        WRITES_ON_TARGET.put("peering.delete", (w, c, f) -> w.peerings.deletePeering(c, f.incoming().id()));

        CREATES.put("network.create", (w, c, f) -> w.networks.createNetwork(c, new NetworkSpec("mine",
                List.of("10.250.0.0/16"), null)));
        CREATES.put("security-group.create", (w, c, f) -> w.groups.createGroup(c, new SecurityGroupSpec("mine",
                null)));
    }

    private static List<Set<String>> everyRoleSet() {
        List<Set<String>> sets = new ArrayList<>();
        for (int mask = 0; mask < 1 << ROLE_ATOMS.size(); mask++) {
            Set<String> roles = new TreeSet<>();
            for (int i = 0; i < ROLE_ATOMS.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    roles.add(ROLE_ATOMS.get(i));
                }
            }
            sets.add(roles);
        }
        return sets;
    }

    private static boolean grantsWrite(Set<String> roles, String tenant) {
        return roles.contains(Caller.ADMIN_ROLE)
                || roles.contains(Caller.USER_ROLE) && roles.contains(Caller.TENANT_ROLE_PREFIX + tenant);
    }

    private static boolean grantsRead(Set<String> roles, String tenant) {
        return grantsWrite(roles, tenant) || roles.contains(Caller.VIEWER_ROLE);
    }

    @Test
    public void everyWriteOutsideTheCallersWritableTenantsIsRefusedAndChangesNothing() {
        int cases = 0;
        for (Set<String> roles : everyRoleSet()) {
            Caller caller = Caller.of("mallory", roles, "rest");
            for (String target : List.of("green", "red")) {
                for (Map.Entry<String, Write> write : WRITES_ON_TARGET.entrySet()) {
                    String what = write.getKey() + " in " + target + " with " + roles;
                    boolean allowed = grantsWrite(roles, target);
                    boolean readable = grantsRead(roles, target);
                    check(what, write.getValue(), caller, target, allowed, readable);
                    cases++;
                }
            }
            for (Map.Entry<String, Write> create : CREATES.entrySet()) {
                boolean allowed = roles.contains(Caller.ADMIN_ROLE) || grantsWrite(roles, "green");
                check(create.getKey() + " with " + roles, create.getValue(), caller, "green", allowed, true);
                cases++;
            }
        }
        assertEquals(32 * (2 * WRITES_ON_TARGET.size() + CREATES.size()), cases);
    }

    private static void check(String what, Write write, Caller caller, String target, boolean allowed,
            boolean readable) {
        World world = new World();
        int commits = world.store.commits.size();
        try {
            write.run(world, caller, world.fixtures.get(target));
            if (!allowed) {
                fail(what + " was allowed");
            }
        } catch (NetloomException e) {
            if (allowed) {
                throw new AssertionError(what + " was refused: " + e.code() + " " + e.getMessage(), e);
            }
            if (readable) {
                assertTrue(what + ": expected 403, was " + e.code() + " " + e.getMessage(),
                        e instanceof ForbiddenException
                                // The requesting side of a peering may not answer it: a conflict of roles.
                                || e instanceof ConflictException && e.code().equals("NOT_PEER_SIDE"));
            } else {
                assertTrue(what + ": expected not found, was " + e.code() + " " + e.getMessage(),
                        e instanceof NotFoundException
                                || e instanceof ValidationException && e.code().startsWith("UNKNOWN_"));
            }
            // Setup steps of a case run as the system; the caller's own write must not have committed.
            long callerCommits = world.store.commits.stream().skip(commits)
                    .flatMap(List::stream)
                    .filter(sw -> sw.collection().equals(ModelRepository.AUDIT))
                    .filter(sw -> sw.document().contains("\"user\":\"mallory\""))
                    .count();
            assertEquals(what + " left an audit entry", 0, callerCommits);
        }
    }

    @Test
    public void viewerAndUserOfGreenWriteOnlyInGreen() {
        World w = new World();
        Caller both = Caller.of("mallory", Set.of(Caller.VIEWER_ROLE, Caller.USER_ROLE,
                Caller.TENANT_ROLE_PREFIX + "green"), "rest");
        Fixture red = w.fixtures.get("red");
        Fixture green = w.fixtures.get("green");
        assertTrue(both.canRead("red"));
        assertTrue(!both.canWrite("red"));
        assertEquals("FORBIDDEN", code(() -> w.groups.addRule(both, red.group().id(),
                new RuleSpec("ingress", "tcp", "22", "10.0.0.0/8", null, null, null))));
        assertEquals("FORBIDDEN", code(() -> w.networks.removeStaticRoute(both, red.network().id(),
                red.route().id())));
        assertEquals("FORBIDDEN", code(() -> w.ports.createPort(both, new PortSpec("x", red.network().id(), null,
                null, null, null, null))));
        // Naming another tenant's group in one's own rule or port ties that group: a write on it too.
        assertEquals("FORBIDDEN", code(() -> w.groups.addRule(both, green.group().id(),
                new RuleSpec("ingress", "tcp", "22", null, red.group().id(), null, null))));
        assertEquals("FORBIDDEN", code(() -> w.ports.setSecurityGroups(both, green.port().id(),
                List.of(red.group().id()))));
        assertEquals("AUTO_ACCEPT_DENIED", code(() -> w.peerings.createPeering(both, new PeeringSpec("x",
                green.network().id(), red.network().id(), false, true))));
        // A peering request to another tenant's network is how peering starts: allowed, pending its answer.
        w.peerings.createPeering(both, new PeeringSpec("ask", green.network().id(), red.network().id(), false,
                false));
        w.groups.addRule(both, green.group().id(), new RuleSpec("ingress", "tcp", "23", null, null, null, null));
    }

    @Test
    public void aUserWithoutATenantRoleBelongsToNoTenantAndCannotWrite() {
        World w = new World();
        Caller red = Caller.of("red", Set.of(Caller.USER_ROLE), "rest");
        assertEquals(Caller.NO_TENANT, red.tenant());
        assertTrue(!red.writesAnywhere());
        assertTrue(!red.canRead("red"));
        assertEquals("NOT_FOUND", code(() -> w.ports.deletePort(red, w.fixtures.get("red").port().id())));
        assertEquals("FORBIDDEN", code(() -> w.networks.createNetwork(red, new NetworkSpec("n",
                List.of("10.250.0.0/16"), null))));
        assertTrue(w.networks.networks(red).isEmpty());
        Caller admin = Caller.of("root", Set.of(Caller.ADMIN_ROLE), "rest");
        assertEquals(Caller.ADMIN_TENANT, admin.tenant());
    }

    private static String code(Runnable r) {
        try {
            r.run();
        } catch (NetloomException e) {
            return e.code();
        }
        return "none";
    }
}
