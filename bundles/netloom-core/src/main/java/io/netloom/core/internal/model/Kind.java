package io.netloom.core.internal.model;

import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.netloom.api.ValidationException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Names;
import io.netloom.api.model.Network;
import io.netloom.api.model.Node;
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

    /** Registered nodes, and the controller's own nodes an administrator has changed (drained). */
    public static final Kind<Node> NODE = new Kind<>("nodes", "node", Node.ID_PREFIX, Node.class, Node::id,
            Node::name, n -> Caller.ADMIN_TENANT);
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
    public static final Kind<?>[] ALL = {NODE, NETWORK, SUBNET, STATIC_ROUTE, GROUP, PORT, PEERING};

    /** Prefix of security-group rule ids, which are not objects of their own kind. */
    public static final String RULE_ID_PREFIX = "rule-";

    /** What every id looks like: a kind's prefix and 12 lower-case hexadecimal digits. */
    private static final Pattern ID = Pattern.compile("(" + Stream.concat(Arrays.stream(ALL).map(Kind::idPrefix),
            Stream.of(RULE_ID_PREFIX)).map(Pattern::quote).collect(Collectors.joining("|")) + ")[0-9a-f]{12}");

    /**
     * Checks a name a user gives an object: valid by {@link Names}, and not shaped like an id, because names are
     * accepted wherever ids are and such a name would stand for another object.
     *
     * @param name the name
     * @param field the input field, for the error
     * @return the name
     * @throws ValidationException {@code INVALID_NAME} or {@code NAME_LOOKS_LIKE_ID}
     */
    public static String requireName(String name, String field) {
        Names.requireValid(name, field);
        if (ID.matcher(name).matches()) {
            throw new ValidationException("NAME_LOOKS_LIKE_ID", "'" + name + "' has the form of an id; ids and names "
                    + "are accepted in the same places, so a name may not look like one", field);
        }
        return name;
    }

    /** The longest description an object may have. */
    static final int MAX_DESCRIPTION = 255;

    /**
     * Checks a description a user gives an object.
     *
     * @param description the description, or {@code null} for none
     * @param field the input field, for the error
     * @return the description, empty for none
     * @throws ValidationException {@code INVALID_DESCRIPTION} when too long or holding control characters
     */
    public static String requireDescription(String description, String field) {
        String text = description == null ? "" : description;
        if (text.length() > MAX_DESCRIPTION || text.chars().anyMatch(Character::isISOControl)) {
            throw new ValidationException("INVALID_DESCRIPTION", "A description is at most " + MAX_DESCRIPTION
                    + " characters with no control characters", field);
        }
        return text;
    }
}
