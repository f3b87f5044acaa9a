package io.netloom.core.internal.model;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.ForbiddenException;
import io.netloom.api.model.Caller;
import io.netloom.api.model.Quota;
import io.netloom.api.model.QuotaService;

/**
 * Per-tenant quotas, {@code etc/io.netloom.quota.cfg}: one limit per resource for every tenant, and overrides for
 * one tenant as {@code tenant.NAME.RESOURCE}; 0 means no limit. The model managers call {@link #require} inside
 * their write, under the model's write lock, so the count they check is the one they commit against.
 */
@Component(service = {QuotaService.class, QuotaManager.class}, configurationPid = QuotaManager.PID)
@Designate(ocd = QuotaManager.Config.class)
public class QuotaManager implements QuotaService {

    static final String PID = "io.netloom.quota";
    static final List<String> RESOURCES = List.of(NETWORKS, PORTS, GROUPS, RULES, PEERINGS);
    private static final String TENANT_PREFIX = "tenant.";
    private static final Logger LOG = LoggerFactory.getLogger(QuotaManager.class);

    /** The quota settings. */
    @ObjectClassDefinition(name = "Netloom quotas", description = "How many objects of each kind a tenant may have "
            + "(0: no limit); tenant.NAME.RESOURCE sets one tenant's limit")
    public @interface Config {
        /** @return networks per tenant */
        @AttributeDefinition(description = "Networks per tenant; 0 for no limit")
        int networks() default 0;

        /** @return ports per tenant */
        @AttributeDefinition(description = "Ports per tenant; 0 for no limit")
        int ports() default 0;

        /** @return security groups per tenant */
        @AttributeDefinition(description = "Security groups per tenant, default groups included; 0 for no limit")
        int groups() default 0;

        /** @return security-group rules per tenant */
        @AttributeDefinition(description = "Security-group rules per tenant, all groups together; 0 for no limit")
        int rules() default 0;

        /** @return live peerings requested per tenant */
        @AttributeDefinition(description = "Pending or active peerings a tenant requested; 0 for no limit")
        int peerings() default 0;
    }

    @Reference
    private ModelRepository repository;

    /** Limits by resource for every tenant, and by "tenant.NAME.RESOURCE" for one. */
    private volatile Map<String, Integer> limits = Map.of();

    /** Used by the component runtime. */
    public QuotaManager() {
    }

    /**
     * For tests.
     *
     * @param repository the model
     * @param limits limits by resource ({@code ports}) or {@code tenant.NAME.RESOURCE}
     */
    public QuotaManager(ModelRepository repository, Map<String, Integer> limits) {
        this.repository = repository;
        this.limits = Map.copyOf(limits);
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Map<String, Integer> read = new ConcurrentHashMap<>();
        properties.forEach((key, value) -> {
            String resource = key.startsWith(TENANT_PREFIX) ? key.substring(key.lastIndexOf('.') + 1) : key;
            if (!RESOURCES.contains(resource)) {
                return;
            }
            try {
                int limit = Integer.parseInt(String.valueOf(value).trim());
                if (limit < 0) {
                    throw new NumberFormatException("negative");
                }
                read.put(key, limit);
            } catch (NumberFormatException e) {
                // A mistyped quota must not stop every write: that quota stays unlimited, and the log says so.
                LOG.warn("Quota {} = '{}' is not a whole number of 0 or more; it is not enforced", key, value);
            }
        });
        limits = Map.copyOf(read);
        LOG.info("Quotas per tenant: {}", limits.isEmpty() ? "none" : limits);
    }

    /**
     * @return the limit of a resource in a tenant, 0 for none
     */
    int limit(String tenant, String resource) {
        Map<String, Integer> now = limits;
        Integer own = now.get(TENANT_PREFIX + tenant + "." + resource);
        return own != null ? own : now.getOrDefault(resource, 0);
    }

    /**
     * @return how many of the resource the tenant has now
     */
    long used(String tenant, String resource) {
        return switch (resource) {
            case NETWORKS -> repository.all(Kind.NETWORK, n -> n.tenant().equals(tenant), (a, b) -> 0).size();
            case PORTS -> repository.all(Kind.PORT, p -> p.tenant().equals(tenant), (a, b) -> 0).size();
            case GROUPS -> repository.all(Kind.GROUP, g -> g.tenant().equals(tenant), (a, b) -> 0).size();
            case RULES -> repository.all(Kind.GROUP, g -> g.tenant().equals(tenant), (a, b) -> 0).stream()
                    .mapToLong(g -> g.rules().size()).sum();
            case PEERINGS -> repository.all(Kind.PEERING, p -> p.tenant().equals(tenant) && p.isLive(),
                    (a, b) -> 0).size();
            default -> throw new IllegalArgumentException("No quota of " + resource);
        };
    }

    /**
     * Checks, inside a write, that the tenant may have {@code adding} more of the resource.
     *
     * @throws ConflictException {@code QUOTA_EXCEEDED}, with the resource as its field
     */
    void require(String tenant, String resource, long adding) {
        int limit = limit(tenant, resource);
        if (limit == 0) {
            return;
        }
        long used = used(tenant, resource);
        if (used + adding > limit) {
            throw new ConflictException("QUOTA_EXCEEDED", "Tenant '" + tenant + "' has " + used + " " + resource
                    + " of its quota of " + limit + "; " + adding + " more would exceed it (see GET /quotas)",
                    resource);
        }
    }

    @Override
    public List<Quota> quotas(Caller caller, String tenant) {
        String asked = tenant == null ? caller.tenant() : tenant;
        if (!caller.canRead(asked)) {
            throw new ForbiddenException("User '" + caller.user() + "' may not read the quotas of tenant '" + asked
                    + "'");
        }
        return RESOURCES.stream().map(r -> new Quota(r, limit(asked, r), used(asked, r))).toList();
    }
}
