/**
 * Values of the OVSDB data model (RFC 7047 section 5.1): atoms, UUIDs, named UUIDs, sets, maps and rows, with
 * helpers to encode them to and decode them from JSON.
 */
@Export
@Version("0.1.0")
package io.netloom.ovsdb.notation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
