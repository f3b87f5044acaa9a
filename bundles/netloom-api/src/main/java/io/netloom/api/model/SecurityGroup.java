package io.netloom.api.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A stateful security group: ordered rules applied to the ports that are its members.
 *
 * @param id server-generated id
 * @param name the user's name for it
 * @param tenant the tenant it belongs to
 * @param description free text, empty when none
 * @param network for a network's default group, the id of that network; {@code null} for other groups
 * @param rules its rules
 * @param createdAt when it was created
 */
public record SecurityGroup(String id, String name, String tenant, String description, String network,
        List<Rule> rules, Instant createdAt) {

    /**
     * Checks that no required component is missing and freezes the list.
     */
    public SecurityGroup {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(description, "description");
        rules = List.copyOf(rules);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
