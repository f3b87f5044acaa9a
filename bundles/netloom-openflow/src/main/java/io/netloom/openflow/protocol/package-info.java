/**
 * OpenFlow 1.3 messages and their wire codec ({@link io.netloom.openflow.protocol.OpenFlowCodec}), including the ONF
 * bundle extension (EXT-230) that Open vSwitch implements for OpenFlow 1.3.
 */
@Export
@Version("0.3.0")
package io.netloom.openflow.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
