package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Creates and deletes security groups and their rules.
 */
@ProviderType
public interface SecurityGroupAdminService extends SecurityGroupService {

    /**
     * @param caller who asks
     * @param spec the request
     * @return the group, with no rules
     */
    SecurityGroup createGroup(Caller caller, SecurityGroupSpec spec);

    /**
     * @param caller who asks
     * @param idOrName the group
     * @throws io.netloom.api.ConflictException {@code IN_USE} while ports or other groups' rules refer to it, or
     *     when it is a network's default group
     */
    void deleteGroup(Caller caller, String idOrName);

    /**
     * @param caller who asks
     * @param groupIdOrName the group
     * @param spec the rule
     * @return the rule as stored
     */
    Rule addRule(Caller caller, String groupIdOrName, RuleSpec spec);

    /**
     * Adds many rules in one write: all of them or, when any is refused, none.
     *
     * @param caller who asks
     * @param groupIdOrName the group
     * @param specs the rules, at least one; a refusal names the first refused one by its position
     *     ({@code [3].ports})
     * @return the rules as stored, in the order given
     */
    List<Rule> addRules(Caller caller, String groupIdOrName, List<RuleSpec> specs);

    /**
     * @param caller who asks
     * @param groupIdOrName the group
     * @param ruleId the rule
     */
    void removeRule(Caller caller, String groupIdOrName, String ruleId);

    /**
     * Changes a group's name or description.
     *
     * @param caller who asks
     * @param idOrName the group
     * @param update what changes
     * @return the group as changed
     * @throws io.netloom.api.ValidationException for a bad name or description
     */
    SecurityGroup updateGroup(Caller caller, String idOrName, SecurityGroupUpdate update);
}
