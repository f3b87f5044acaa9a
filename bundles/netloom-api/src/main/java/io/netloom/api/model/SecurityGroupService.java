package io.netloom.api.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads security groups and their rules.
 */
@ProviderType
public interface SecurityGroupService {

    /**
     * @param caller who asks
     * @return the groups the caller sees, oldest first (networks' default groups included)
     */
    List<SecurityGroup> groups(Caller caller);

    /**
     * @param caller who asks
     * @param idOrName a group id or unique name
     * @return the group
     * @throws io.netloom.api.NotFoundException when there is none the caller sees
     */
    SecurityGroup group(Caller caller, String idOrName);
}
