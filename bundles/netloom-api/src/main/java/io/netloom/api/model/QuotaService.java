package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reports per-tenant quotas and their usage. The model services enforce them: a create beyond a quota is refused
 * with {@code QUOTA_EXCEEDED} and changes nothing (a bulk create counts as a whole).
 */
@ProviderType
public interface QuotaService {

    /** The quota of networks. */
    String NETWORKS = "networks";
    /** The quota of ports. */
    String PORTS = "ports";
    /** The quota of security groups (a network's default group counts, but never refuses a network). */
    String GROUPS = "groups";
    /** The quota of security-group rules, all groups of the tenant together. */
    String RULES = "rules";
    /** The quota of live (pending or active) peerings the tenant requested. */
    String PEERINGS = "peerings";

    /**
     * @param caller who asks
     * @param tenant the tenant to report; {@code null} for the caller's own
     * @return each resource's limit and usage, in the order networks, ports, groups, rules, peerings
     * @throws io.netloom.api.ForbiddenException when the caller asks for a tenant it may not read
     */
    List<Quota> quotas(Caller caller, String tenant);
}
