/**
 * Replication of tables through {@code monitor} (RFC 7047 section 4.1.5) and {@code monitor_cond} (the ovsdb-server
 * extension with {@code update2} notifications): monitor requests, parsed table updates and a thread-safe local cache.
 */
@Export
@Version("0.1.0")
package io.netloom.ovsdb.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
