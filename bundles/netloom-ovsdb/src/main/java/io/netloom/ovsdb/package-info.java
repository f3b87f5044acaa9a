/**
 * Netloom's OVSDB (RFC 7047) client.
 */
@Export
@Version("0.2.0")
package io.netloom.ovsdb;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
