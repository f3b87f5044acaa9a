package io.netloom.shell.internal.completers;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.PeeringService;

/** Completes peering ids and names. */
@Service
public class PeeringCompleter extends IdAndNameCompleter {

    @Reference
    PeeringService peerings;

    @Override
    void candidates(StringsCompleter into) {
        peerings.peerings(caller()).forEach(p -> add(into, p.id(), p.name()));
    }
}
