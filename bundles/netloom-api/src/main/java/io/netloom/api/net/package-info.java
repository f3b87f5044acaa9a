/**
 * Address handling shared by every bundle: the one strict reading of IP addresses.
 */
@Export
@Version("1.0.0")
package io.netloom.api.net;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
