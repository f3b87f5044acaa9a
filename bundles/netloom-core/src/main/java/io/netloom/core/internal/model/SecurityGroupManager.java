package io.netloom.core.internal.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.netloom.api.ConflictException;
import io.netloom.api.NotFoundException;
import io.netloom.api.ValidationException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.QuotaService;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;
import io.netloom.api.model.RuleSpec;
import io.netloom.api.model.SecurityGroup;
import io.netloom.api.model.SecurityGroupAdminService;
import io.netloom.api.model.SecurityGroupService;
import io.netloom.api.model.SecurityGroupSpec;
import io.netloom.api.model.SecurityGroupUpdate;
import io.netloom.core.internal.ip.Cidrs;

/**
 * Security groups and their rules.
 */
@Component(service = {SecurityGroupService.class, SecurityGroupAdminService.class})
public class SecurityGroupManager implements SecurityGroupAdminService {

    static final Comparator<SecurityGroup> GROUP_ORDER = Comparator.comparing(SecurityGroup::createdAt)
            .thenComparing(SecurityGroup::id);
    static final int MAX_RULES = 1000;
    /** Decimal port numbers without leading zeros ({@code "080"} could be read as octal). */
    private static final Pattern PORTS = Pattern.compile("([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?");

    @Reference
    private ModelRepository repository;

    @Reference
    private QuotaManager quotas;

    /** Used by the component runtime. */
    public SecurityGroupManager() {
    }

    /** For tests: no quotas. */
    public SecurityGroupManager(ModelRepository repository) {
        this(repository, new QuotaManager(repository, Map.of()));
    }

    /** For tests. */
    public SecurityGroupManager(ModelRepository repository, QuotaManager quotas) {
        this.repository = repository;
        this.quotas = quotas;
    }

    @Override
    public List<SecurityGroup> groups(Caller caller) {
        return repository.all(Kind.GROUP, g -> caller.sees(g.tenant()), GROUP_ORDER);
    }

    @Override
    public SecurityGroup group(Caller caller, String idOrName) {
        return repository.resolve(Kind.GROUP, idOrName, g -> caller.sees(g.tenant()));
    }

    /** A group the caller sees (else not found) and may change (else forbidden). */
    private SecurityGroup writableGroup(Caller caller, String idOrName) {
        return Access.requireWrite(caller, Kind.GROUP, group(caller, idOrName));
    }

    @Override
    public SecurityGroup createGroup(Caller caller, SecurityGroupSpec spec) {
        String name = Kind.requireName(spec.name(), "name");
        String description = Kind.requireDescription(spec.description(), "description");
        Access.requireCreate(caller, "security group");
        return repository.write(caller, "security-group.create", changes -> {
            quotas.require(caller.tenant(), QuotaService.GROUPS, 1);
            SecurityGroup group = new SecurityGroup(repository.newId(Kind.GROUP), name, caller.tenant(), description,
                    null, List.of(), repository.now());
            changes.put(Kind.GROUP, null, group);
            return group;
        });
    }

    @Override
    public void deleteGroup(Caller caller, String idOrName) {
        repository.write(caller, "security-group.delete", changes -> {
            SecurityGroup group = writableGroup(caller, idOrName);
            if (group.network() != null) {
                throw new ConflictException("DEFAULT_GROUP", "Group " + group.id()
                        + " is the default group of network " + group.network() + " and goes with it", null);
            }
            requireUnreferenced(repository, group);
            changes.delete(Kind.GROUP, group);
            return null;
        });
    }

    /**
     * Fails unless no port is a member of the group and no rule of another group names it as its remote group.
     */
    static void requireUnreferenced(ModelRepository repository, SecurityGroup group) {
        int members = repository.all(Kind.PORT, p -> p.securityGroups().contains(group.id()), (a, b) -> 0).size();
        if (members > 0) {
            throw new ConflictException("IN_USE", "Security group " + group.name() + " has " + members
                    + " member port(s)", null);
        }
        for (SecurityGroup other : repository.all(Kind.GROUP, g -> !g.id().equals(group.id()), GROUP_ORDER)) {
            for (Rule rule : other.rules()) {
                if (group.id().equals(rule.remoteGroup())) {
                    throw new ConflictException("IN_USE", "Rule " + rule.id() + " of security group " + other.name()
                            + " refers to " + group.name(), null);
                }
            }
        }
    }

    @Override
    public Rule addRule(Caller caller, String groupIdOrName, RuleSpec spec) {
        CheckedRule checked = check(spec);
        return repository.write(caller, "security-group.rule.add", changes -> {
            SecurityGroup group = writableGroup(caller, groupIdOrName);
            quotas.require(group.tenant(), QuotaService.RULES, 1);
            List<Rule> rules = new ArrayList<>(group.rules());
            Rule rule = stage(caller, checked, rules);
            changes.put(Kind.GROUP, group, withRules(group, rules));
            return rule;
        });
    }

    @Override
    public List<Rule> addRules(Caller caller, String groupIdOrName, List<RuleSpec> specs) {
        Bulk.checkSize("rules", specs.size(), MAX_RULES);
        List<CheckedRule> checked = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            RuleSpec spec = specs.get(i);
            checked.add(Bulk.atIndex("Rule", i, () -> check(spec)));
        }
        return repository.write(caller, "security-group.rule.add", changes -> {
            SecurityGroup group = writableGroup(caller, groupIdOrName);
            // A bulk add counts as a whole: all of its rules fit in the tenant's quota, or none is added.
            quotas.require(group.tenant(), QuotaService.RULES, checked.size());
            List<Rule> rules = new ArrayList<>(group.rules());
            List<Rule> added = new ArrayList<>();
            for (int i = 0; i < checked.size(); i++) {
                CheckedRule c = checked.get(i);
                added.add(Bulk.atIndex("Rule", i, () -> stage(caller, c, rules)));
            }
            changes.put(Kind.GROUP, group, withRules(group, rules));
            return List.copyOf(added);
        });
    }

    /** A rule whose fields were checked on their own, before the write; what depends on the model is not yet. */
    private record CheckedRule(Direction direction, Protocol protocol, RuleAction action, int priority,
            Integer[] range, String remoteCidr, String remoteGroup) {
    }

    private static CheckedRule check(RuleSpec spec) {
        Direction direction = parseEnum(Direction.class, spec.direction(), "direction", true);
        Protocol protocol = parseEnum(Protocol.class, spec.protocol(), "protocol", true);
        RuleAction action = spec.action() == null ? RuleAction.ALLOW
                : parseEnum(RuleAction.class, spec.action(), "action", false);
        int priority = spec.priority() == null ? Rule.DEFAULT_PRIORITY : spec.priority();
        if (priority < Rule.MIN_PRIORITY || priority > Rule.MAX_PRIORITY) {
            throw new ValidationException("INVALID_PRIORITY", "A priority is " + Rule.MIN_PRIORITY + " to "
                    + Rule.MAX_PRIORITY + " (lower first)", "priority");
        }
        Integer[] range = parsePorts(spec.ports(), protocol);
        String remoteCidr = spec.remoteCidr() == null ? null
                : Cidrs.canonical(Cidrs.parsePrefix(spec.remoteCidr(), "remoteCidr"));
        if (remoteCidr != null && spec.remoteGroup() != null) {
            throw new ValidationException("CONFLICTING_REMOTES", "Give remoteCidr or remoteGroup, not both",
                    "remoteGroup");
        }
        return new CheckedRule(direction, protocol, action, priority, range, remoteCidr, spec.remoteGroup());
    }

    /**
     * Adds a checked rule to a group's rules, inside the write: resolves its remote group, refuses a duplicate of a
     * rule already there (or added earlier in the same request) and a group that is full.
     */
    private Rule stage(Caller caller, CheckedRule c, List<Rule> rules) {
        String remoteGroup = null;
        if (c.remoteGroup() != null) {
            // Naming a group as remote ties it to this rule (it cannot be deleted meanwhile): that needs the
            // right to change it, not only to see it.
            remoteGroup = referencedGroup(repository, caller, c.remoteGroup(), "remoteGroup").id();
        }
        if (rules.size() >= MAX_RULES) {
            throw new ConflictException("TOO_MANY_RULES", "A security group has at most " + MAX_RULES + " rules",
                    null);
        }
        Rule rule = new Rule(repository.newRuleId(), c.direction(), c.protocol(), c.range()[0], c.range()[1],
                c.remoteCidr(), remoteGroup, c.action(), c.priority());
        for (Rule existing : rules) {
            if (sameMatch(existing, rule) && existing.action() == rule.action()
                    && existing.priority() == rule.priority()) {
                throw new ConflictException("DUPLICATE_RULE", "Rule " + existing.id() + " is the same rule",
                        null);
            }
        }
        rules.add(rule);
        return rule;
    }

    /**
     * A group that a write refers to: one the caller sees and may change.
     *
     * @throws ValidationException {@code UNKNOWN_SECURITY_GROUP} when the caller sees no such group
     * @throws io.netloom.api.ForbiddenException when it sees the group but may not change it
     */
    static SecurityGroup referencedGroup(ModelRepository repository, Caller caller, String idOrName, String field) {
        SecurityGroup group;
        try {
            group = repository.resolve(Kind.GROUP, idOrName, g -> caller.sees(g.tenant()));
        } catch (NotFoundException e) {
            throw new ValidationException("UNKNOWN_SECURITY_GROUP", "No security group '" + idOrName + "'", field);
        }
        return Access.requireWrite(caller, Kind.GROUP, group);
    }

    private static boolean sameMatch(Rule a, Rule b) {
        return a.direction() == b.direction() && a.protocol() == b.protocol()
                && Objects.equals(a.portMin(), b.portMin())
                && Objects.equals(a.portMax(), b.portMax())
                && Objects.equals(a.remoteCidr(), b.remoteCidr())
                && Objects.equals(a.remoteGroup(), b.remoteGroup());
    }

    private static SecurityGroup withRules(SecurityGroup g, List<Rule> rules) {
        return new SecurityGroup(g.id(), g.name(), g.tenant(), g.description(), g.network(), rules, g.createdAt());
    }

    @Override
    public SecurityGroup updateGroup(Caller caller, String idOrName, SecurityGroupUpdate update) {
        String name = update.name().map(n -> Kind.requireName(n, "name")).orElse(null);
        String description = update.description().map(d -> Kind.requireDescription(d, "description")).orElse(null);
        return repository.write(caller, "security-group.update", changes -> {
            SecurityGroup g = writableGroup(caller, idOrName);
            SecurityGroup updated = new SecurityGroup(g.id(), name == null ? g.name() : name, g.tenant(),
                    description == null ? g.description() : description, g.network(), g.rules(), g.createdAt());
            changes.put(Kind.GROUP, g, updated);
            return updated;
        });
    }

    @Override
    public void removeRule(Caller caller, String groupIdOrName, String ruleId) {
        repository.write(caller, "security-group.rule.remove", changes -> {
            SecurityGroup group = writableGroup(caller, groupIdOrName);
            List<Rule> rules = new ArrayList<>(group.rules());
            if (!rules.removeIf(r -> r.id().equals(ruleId))) {
                throw new NotFoundException("rule", ruleId);
            }
            changes.put(Kind.GROUP, group, withRules(group, rules));
            return null;
        });
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String text, String field, boolean required) {
        if (text == null) {
            if (required) {
                throw new ValidationException("REQUIRED", "The field " + field + " is required", field);
            }
            return null;
        }
        for (E value : type.getEnumConstants()) {
            if (value.name().toLowerCase(Locale.ROOT).equals(text)) {
                return value;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E value : type.getEnumConstants()) {
            allowed.add(value.name().toLowerCase(Locale.ROOT));
        }
        throw new ValidationException("INVALID_" + field.toUpperCase(Locale.ROOT), "'" + text + "' is not one of "
                + allowed, field);
    }

    static Integer[] parsePorts(String ports, Protocol protocol) {
        if (ports == null) {
            return new Integer[] {null, null};
        }
        if (protocol != Protocol.TCP && protocol != Protocol.UDP) {
            throw new ValidationException("INVALID_PORTS", "Ports apply to tcp and udp only", "ports");
        }
        Matcher m = PORTS.matcher(ports);
        if (!m.matches()) {
            throw new ValidationException("INVALID_PORTS", "Ports are a number such as \"80\" or a range such as "
                    + "\"8000-8080\", from 1 to 65535 without leading zeros", "ports");
        }
        int min = Integer.parseInt(m.group(1));
        int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
        if (min < 1 || max > 65535 || min > max) {
            throw new ValidationException("INVALID_PORTS", "Ports are 1-65535 and a range goes upward", "ports");
        }
        return new Integer[] {min, max};
    }
}
