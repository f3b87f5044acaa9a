package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the audit log, which records every change to the desired state. It is on by default.
 */
@ProviderType
public interface AuditService {

    /**
     * @param caller who asks; a non-admin sees its own tenant's entries
     * @param limit at most this many, newest first
     * @return the entries
     */
    List<AuditEntry> entries(Caller caller, int limit);
}
