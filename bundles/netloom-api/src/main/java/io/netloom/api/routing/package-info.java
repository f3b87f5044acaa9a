/**
 * Effective route tables of networks: local routes, routes over active peerings, longest-prefix match.
 */
@Export
@Version("1.0.0")
package io.netloom.api.routing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
