package io.netloom.shell.internal.completers;

import java.util.Optional;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.PortService;

/** Completes port ids and names. */
@Service
public class PortCompleter extends IdAndNameCompleter {

    @Reference
    PortService ports;

    @Override
    void candidates(StringsCompleter into) {
        ports.ports(caller(), Optional.empty()).forEach(p -> add(into, p.id(), p.name()));
    }
}
