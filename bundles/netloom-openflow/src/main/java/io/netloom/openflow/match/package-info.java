/**
 * OpenFlow 1.3 extensible match (OXM) vocabulary, including the Open vSwitch fields Netloom uses: Nicira registers,
 * 64-bit packet registers and connection-tracking state.
 */
@Export
@Version("0.3.0")
package io.netloom.openflow.match;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
