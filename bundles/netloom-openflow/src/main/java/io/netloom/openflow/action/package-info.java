/**
 * What a flow does: OpenFlow 1.3 instructions and actions, including the Nicira experimenter actions
 * {@code NXAST_REG_MOVE} and {@code NXAST_CT}.
 */
@Export
@Version("0.2.0")
package io.netloom.openflow.action;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
