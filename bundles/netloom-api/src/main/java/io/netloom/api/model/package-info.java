/**
 * Model records: the desired state users describe (networks first; subnets, ports, groups and peerings follow).
 */
@Export
@Version("0.5.0")
package io.netloom.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
