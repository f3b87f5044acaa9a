/**
 * Reachability explained: why one port can or cannot reach another, hop by hop.
 */
@Export
@Version("1.0.0")
package io.netloom.api.explain;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
