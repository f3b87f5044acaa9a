package io.netloom.rest.internal;

import java.util.List;

import io.netloom.api.model.Quota;
import io.netloom.api.model.QuotaService;

/**
 * {@code /quotas[?tenant=NAME]}: the limits and usage of the caller's tenant, or of a tenant it may read.
 */
final class QuotasResource {

    /** The answer: whose quotas, and each resource's limit (0: none) and usage. */
    record Quotas(String tenant, List<Quota> quotas) {
    }

    private final QuotaService quotas;

    QuotasResource(QuotaService quotas) {
        this.quotas = quotas;
    }

    void register(Router router) {
        router.add("GET", "/quotas", r -> {
            String tenant = r.query("tenant").orElse(r.caller().tenant());
            return ApiResponse.ok(new Quotas(tenant, quotas.quotas(r.caller(), tenant)));
        });
    }
}
