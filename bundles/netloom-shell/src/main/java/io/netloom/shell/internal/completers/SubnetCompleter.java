package io.netloom.shell.internal.completers;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.NetworkService;

/** Completes subnet ids and names. */
@Service
public class SubnetCompleter extends IdAndNameCompleter {

    @Reference
    NetworkService networks;

    @Override
    void candidates(StringsCompleter into) {
        networks.networks(caller()).forEach(n -> networks.subnets(caller(), n.id())
                .forEach(s -> add(into, s.id(), s.name())));
    }
}
