package io.netloom.shell.internal.completers;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.NodeService;

/** Completes node ids and names (for those who may read nodes). */
@Service
public class NodeCompleter extends IdAndNameCompleter {

    @Reference
    NodeService nodes;

    @Override
    void candidates(StringsCompleter into) {
        nodes.nodes(caller()).forEach(n -> add(into, n.id(), n.name()));
    }
}
