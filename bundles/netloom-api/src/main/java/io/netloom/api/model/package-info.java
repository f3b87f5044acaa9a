/**
 * Model records: the desired state users describe (networks, subnets, ports, groups, peerings) and data-plane nodes.
 */
@Export
@Version("1.2.0")
package io.netloom.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
