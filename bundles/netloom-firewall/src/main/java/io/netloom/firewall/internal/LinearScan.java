package io.netloom.firewall.internal;

import java.util.List;

import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;

/**
 * The rules of a port checked one after the other, first match wins: the definition of a decision, kept as the
 * reference that {@link FilterEngine} is tested against and measured with. Its cost grows with the number of
 * rules, so nothing on a decision path uses it.
 */
public final class LinearScan implements PortFilter {

    private final List<FilterRule> rules;
    private final Prefix[] remotes;
    private final SetMembership sets;

    private LinearScan(List<FilterRule> rules, SetMembership sets) {
        this.rules = List.copyOf(rules);
        this.remotes = this.rules.stream().map(r -> r.referencesSet() ? null : Prefix.parse(r.remoteCidr()))
                .toArray(Prefix[]::new);
        this.sets = sets;
    }

    /**
     * @param rules a port's compiled rules, in evaluation order
     * @return a scan over them
     * @throws IllegalArgumentException when a rule's remote CIDR is not a valid prefix
     */
    public static LinearScan of(List<FilterRule> rules) {
        return new LinearScan(rules, SetMembership.NONE);
    }

    /**
     * @param rules a port's compiled rules, in evaluation order
     * @param sets the membership of the address sets the rules reference
     * @return a scan over them
     */
    public static LinearScan of(List<FilterRule> rules, SetMembership sets) {
        return new LinearScan(rules, sets);
    }

    @Override
    public List<FilterRule> rules() {
        return rules;
    }

    @Override
    public int firstMatch(Direction direction, Protocol protocol, PacketAddress remote, int transportPort) {
        for (int i = 0; i < remotes.length; i++) {
            FilterRule rule = rules.get(i);
            if (rule.direction() == direction && Matching.matchesTransport(rule, protocol, transportPort)
                    && (remotes[i] != null ? remotes[i].contains(remote) : sets.contains(rule.remoteSet(), remote))) {
                return i;
            }
        }
        return -1;
    }
}
