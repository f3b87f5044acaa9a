/**
 * The store of desired state: a small key-value interface, so that an embedded store can later be replaced by a
 * clustered one.
 */
@Export
@Version("1.0.0")
package io.netloom.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
