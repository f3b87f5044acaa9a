package io.netloom.firewall.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.netloom.api.model.Port;
import io.netloom.api.model.SecurityGroup;

/**
 * What compiling a port's rules reads: the groups that apply to it and their rules. Both the firewall's live index
 * and a from-scratch snapshot answer it, so that they compile alike.
 */
interface GroupLookup {

    /**
     * @param port a port
     * @return the ids of the groups whose rules apply to it: those it lists, else its network's default group
     */
    List<String> effectiveGroups(Port port);

    /**
     * The membership rule, in one place: a port is a member of the groups it lists or, when it lists none, of its
     * network's default group.
     *
     * @param port a port
     * @param defaultGroups network id → id of its default group
     * @return the ids of the port's groups (none when it lists none and its network has no default group)
     */
    static List<String> effectiveGroups(Port port, Map<String, String> defaultGroups) {
        if (!port.securityGroups().isEmpty()) {
            return port.securityGroups().stream().distinct().toList();
        }
        String defaultGroup = defaultGroups.get(port.network());
        return defaultGroup == null ? List.of() : List.of(defaultGroup);
    }

    /**
     * @param id a group id
     * @return the group, when it exists
     */
    Optional<SecurityGroup> group(String id);
}
