package io.netloom.rest.internal;

import io.netloom.api.model.AuditService;

/**
 * {@code /audit?limit=N}: the newest changes to the desired state, newest first.
 */
final class AuditResource {

    static final int DEFAULT_LIMIT = 100;

    private final AuditService audit;

    AuditResource(AuditService audit) {
        this.audit = audit;
    }

    void register(Router router) {
        router.add("GET", "/audit", r -> {
            int limit = r.query("limit").map(AuditResource::parseLimit).orElse(DEFAULT_LIMIT);
            return ApiResponse.ok(audit.entries(r.caller(), limit));
        });
    }

    private static int parseLimit(String text) {
        if (!text.matches("[0-9]{1,5}")) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit is a number from 0 to 10000", "limit");
        }
        return Integer.parseInt(text);
    }
}
