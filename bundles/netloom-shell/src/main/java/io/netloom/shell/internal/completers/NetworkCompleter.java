package io.netloom.shell.internal.completers;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.NetworkService;

/** Completes network ids and names. */
@Service
public class NetworkCompleter extends IdAndNameCompleter {

    @Reference
    NetworkService networks;

    @Override
    void candidates(StringsCompleter into) {
        networks.networks(caller()).forEach(n -> add(into, n.id(), n.name()));
    }
}
