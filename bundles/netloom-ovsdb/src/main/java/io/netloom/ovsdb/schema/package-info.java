/**
 * Database schemas as returned by {@code get_schema} (RFC 7047 section 3.2).
 */
@Export
@Version("0.1.0")
package io.netloom.ovsdb.schema;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
