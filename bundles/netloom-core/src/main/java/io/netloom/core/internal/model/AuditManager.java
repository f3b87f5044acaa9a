package io.netloom.core.internal.model;

import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.netloom.api.model.AuditEntry;
import io.netloom.api.model.AuditService;
import io.netloom.api.model.Caller;

/**
 * Reads the audit log the {@link ModelRepository} writes with every change.
 */
@Component(service = AuditService.class)
public class AuditManager implements AuditService {

    static final int MAX_LIMIT = 10_000;

    @Reference
    private ModelRepository repository;

    @Override
    public List<AuditEntry> entries(Caller caller, int limit) {
        int bounded = Math.max(0, Math.min(limit, MAX_LIMIT));
        return repository.audit(e -> caller.sees(e.tenant()), bounded);
    }
}
