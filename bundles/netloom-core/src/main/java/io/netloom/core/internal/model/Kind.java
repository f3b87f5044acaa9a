package io.netloom.core.internal.model;

import java.util.function.Function;

import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.Port;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.Subnet;

/**
 * A kind of model object: its store collection, its record type, and how to read its id, name and tenant.
 *
 * @param <T> the record type
 */
public record Kind<T>(String collection, String noun, String idPrefix, Class<T> type, Function<T, String> id,
        Function<T, String> name, Function<T, String> tenant) {

    /** Networks. */
    public static final Kind<Network> NETWORK = new Kind<>("networks", "network", "net-", Network.class,
            Network::id, Network::name, Network::tenant);
    /** Subnets. */
    public static final Kind<Subnet> SUBNET = new Kind<>("subnets", "subnet", "sub-", Subnet.class,
            Subnet::id, Subnet::name, Subnet::tenant);
    /** Static routes. */
    public static final Kind<StaticRoute> STATIC_ROUTE = new Kind<>("routes", "static route", "route-",
            StaticRoute.class, StaticRoute::id, StaticRoute::destination, StaticRoute::tenant);
    /** Ports. */
    public static final Kind<Port> PORT = new Kind<>("ports", "port", "port-", Port.class,
            Port::id, Port::name, Port::tenant);
    /** Security groups. */
    public static final Kind<SecurityGroup> GROUP = new Kind<>("groups", "security group", "sg-",
            SecurityGroup.class, SecurityGroup::id, SecurityGroup::name, SecurityGroup::tenant);
    /** Peerings. */
    public static final Kind<Peering> PEERING = new Kind<>("peerings", "peering", "peer-", Peering.class,
            Peering::id, Peering::name, Peering::tenant);

    /** Every kind, in the order they are loaded (a kind only refers to kinds before it, or to itself). */
    public static final Kind<?>[] ALL = {NETWORK, SUBNET, STATIC_ROUTE, GROUP, PORT, PEERING};
}
