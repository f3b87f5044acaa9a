package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.google.gson.JsonObject;

import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;

/**
 * Neutron security-group rules are the allow rules of Netloom groups. Netloom knows the protocols tcp, udp, icmp
 * and any; an IPv6 rule without a remote is stored with the remote prefix {@code ::/0}, an IPv4 one without a
 * remote as a rule for any remote (Netloom rules without a remote match both IP versions).
 */
final class SecurityGroupRulesResource implements Resource {

    private static final Set<String> CREATE = Set.of("security_group_id", "direction", "ethertype", "protocol",
            "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id", "description", "tenant_id",
            "project_id");

    private final SecurityGroupAdminService groups;
    private final SecurityGroupsResource groupResource;

    SecurityGroupRulesResource(SecurityGroupAdminService groups, SecurityGroupsResource groupResource) {
        this.groups = groups;
        this.groupResource = groupResource;
    }

    @Override
    public String collection() {
        return "security-group-rules";
    }

    @Override
    public String member() {
        return "security_group_rule";
    }

    /** A rule and its group. */
    private record Found(SecurityGroup group, Rule rule) {
    }

    private Found find(Token token, String uuid) {
        for (SecurityGroup g : groupResource.shown(token)) {
            Optional<Rule> rule = Ids.find(g.rules(), Rule::id, uuid).filter(r -> r.action() == RuleAction.ALLOW);
            if (rule.isPresent()) {
                return new Found(g, rule.get());
            }
        }
        throw NeutronException.notFound("SecurityGroupRuleNotFound", "Security group rule", uuid);
    }

    @Override
    public List<JsonObject> list(Token token) {
        List<JsonObject> out = new ArrayList<>();
        for (SecurityGroup g : groupResource.shown(token)) {
            for (Rule r : g.rules()) {
                if (r.action() == RuleAction.ALLOW) {
                    out.add(SecurityGroupsResource.renderRule(g, r));
                }
            }
        }
        return out;
    }

    @Override
    public JsonObject show(Token token, String uuid) {
        Found f = find(token, uuid);
        return SecurityGroupsResource.renderRule(f.group(), f.rule());
    }

    @Override
    public List<JsonObject> create(Token token, List<JsonObject> items) {
        List<SecurityGroup> targets = new ArrayList<>();
        List<RuleSpec> specs = new ArrayList<>();
        for (JsonObject item : items) {
            Input in = Input.of(item, CREATE);
            in.project(token);
            targets.add(groupResource.find(token, in.requiredString("security_group_id")));
            specs.add(spec(token, in));
        }
        List<JsonObject> created = new ArrayList<>();
        List<Found> made = new ArrayList<>();
        try {
            for (int i = 0; i < specs.size(); i++) {
                Rule rule = groups.addRule(token.caller(), targets.get(i).id(), specs.get(i));
                made.add(new Found(targets.get(i), rule));
                created.add(SecurityGroupsResource.renderRule(targets.get(i), rule));
            }
        } catch (RuntimeException e) {
            for (Found f : made) {
                groups.removeRule(token.caller(), f.group().id(), f.rule().id());
            }
            throw e;
        }
        return created;
    }

    private RuleSpec spec(Token token, Input in) {
        String direction = in.requiredString("direction");
        if (!direction.equals("ingress") && !direction.equals("egress")) {
            throw NeutronException.invalidInput("'" + direction + "' is not in ['ingress', 'egress']");
        }
        String ethertype = Optional.ofNullable(in.string("ethertype")).orElse("IPv4");
        if (!ethertype.equals("IPv4") && !ethertype.equals("IPv6")) {
            throw NeutronException.invalidInput("'" + ethertype + "' is not in ['IPv4', 'IPv6']");
        }
        String protocol = protocol(in.has("protocol") && !in.isNull("protocol") ? protocolText(in) : null,
                ethertype);
        Integer min = in.integer("port_range_min");
        Integer max = in.integer("port_range_max");
        String ports = ports(protocol, min, max);
        String remoteCidr = null;
        String remoteGroup = null;
        String prefix = in.string("remote_ip_prefix");
        String group = in.string("remote_group_id");
        if (prefix != null && group != null) {
            throw NeutronException.badRequest("Only remote_ip_prefix or remote_group_id may be provided.");
        }
        if (prefix != null) {
            Addresses.Prefix p = Addresses.prefix(prefix);
            if ((p.version() == 6) != ethertype.equals("IPv6")) {
                throw NeutronException.badRequest("Conflicting value ethertype " + ethertype + " for CIDR " + prefix);
            }
            remoteCidr = Addresses.text(p.first(), p.version()) + "/" + p.length();
        } else if (group != null) {
            remoteGroup = groupResource.find(token, group).id();
        } else if (ethertype.equals("IPv6")) {
            remoteCidr = "::/0";
        }
        if (remoteGroup != null && ethertype.equals("IPv6")) {
            throw NeutronException.invalidInput("a remote group rule matches IPv4 and IPv6 in Netloom: create it "
                    + "with ethertype IPv4");
        }
        in.onlyDefault("description", Optional.ofNullable(in.string("description")).orElse("").isEmpty(),
                "is not supported on Netloom rules");
        return new RuleSpec(direction, protocol, ports, remoteCidr, remoteGroup, "allow", null);
    }

    private static String protocolText(Input in) {
        Integer number = null;
        try {
            number = in.integer("protocol");
        } catch (NeutronException notNumber) {
            return in.string("protocol");
        }
        return Integer.toString(number);
    }

    /** @return Netloom's protocol for a Neutron protocol name or number */
    static String protocol(String neutron, String ethertype) {
        if (neutron == null || neutron.equalsIgnoreCase("any")) {
            return "any";
        }
        return switch (neutron.toLowerCase(Locale.ROOT)) {
            case "tcp", "6" -> "tcp";
            case "udp", "17" -> "udp";
            case "icmp", "1" -> "icmp";
            case "ipv6-icmp", "icmpv6", "58" -> {
                if (!ethertype.equals("IPv6")) {
                    throw NeutronException.invalidInput("protocol " + neutron + " needs ethertype IPv6");
                }
                yield "icmp";
            }
            default -> throw new NeutronException(400, "SecurityGroupRuleInvalidProtocol", "Security group rule "
                    + "protocol " + neutron + " not supported. Only protocol values [None, tcp, udp, icmp] and "
                    + "integer representations [6, 17, 1] are supported.");
        };
    }

    /**
     * @return Netloom's port text for a Neutron range; ICMP type and code are checked as Neutron checks them, then
     *     refused as not supported
     */
    static String ports(String protocol, Integer min, Integer max) {
        if (min == null && max == null) {
            return null;
        }
        if (protocol.equals("icmp")) {
            if (min == null) {
                throw new NeutronException(400, "SecurityGroupMissingIcmpType", "ICMP type (port-range-min) is "
                        + "missing.");
            }
            if (min < 0 || min > 255) {
                throw new NeutronException(400, "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP type "
                        + min + ".");
            }
            if (max != null && (max < 0 || max > 255)) {
                throw new NeutronException(400, "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP code "
                        + max + ".");
            }
        }
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw NeutronException.invalidInput("port ranges (and ICMP type and code) are supported for tcp and "
                    + "udp only");
        }
        for (Integer p : new Integer[] {min, max}) {
            if (p != null && (p < 1 || p > 65535)) {
                throw new NeutronException(400, "SecurityGroupInvalidPortValue", "Invalid value for port " + p + ".");
            }
        }
        if (min == null || max == null || min > max) {
            throw new NeutronException(400, "SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min "
                    + "must be <= port_range_max");
        }
        return min.equals(max) ? min.toString() : min + "-" + max;
    }

    @Override
    public JsonObject update(Token token, String uuid, JsonObject changes) {
        find(token, uuid);
        throw new NeutronException(405, "HTTPMethodNotAllowed", "Security group rules cannot be updated.");
    }

    @Override
    public void delete(Token token, String uuid) {
        Found f = find(token, uuid);
        groups.removeRule(token.caller(), f.group().id(), f.rule().id());
    }
}
