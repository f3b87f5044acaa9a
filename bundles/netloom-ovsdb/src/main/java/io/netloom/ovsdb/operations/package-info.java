/**
 * Fluent builders for the operations of an OVSDB {@code transact} request (RFC 7047 section 5.2), the conditions
 * and mutations they use, and their results.
 */
@Export
@Version("0.1.0")
package io.netloom.ovsdb.operations;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
