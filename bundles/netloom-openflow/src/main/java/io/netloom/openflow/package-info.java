/**
 * Netloom's OpenFlow 1.3 codec and channel.
 */
@Export
@Version("0.1.0")
package io.netloom.openflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
