/**
 * The graph of nodes, networks, ports, peerings and links, for drawing and path queries.
 */
@Export
@Version("1.0.0")
package io.netloom.api.topology;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
