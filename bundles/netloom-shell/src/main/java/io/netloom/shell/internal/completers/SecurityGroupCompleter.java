package io.netloom.shell.internal.completers;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.SecurityGroupService;

/** Completes security group ids and names. */
@Service
public class SecurityGroupCompleter extends IdAndNameCompleter {

    @Reference
    SecurityGroupService groups;

    @Override
    void candidates(StringsCompleter into) {
        groups.groups(caller()).forEach(g -> add(into, g.id(), g.name()));
    }
}
