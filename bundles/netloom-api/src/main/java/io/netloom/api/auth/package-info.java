/**
 * Logging users in: the one check of a user's password against the realm that holds Netloom's users, shared by every
 * bundle that takes passwords (the REST API, the OpenStack identity endpoint).
 */
@Export
@Version("1.0.0")
package io.netloom.api.auth;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
