/**
 * Node agents: how a registered host fetches its desired configuration from the controller, reports what it realised,
 * and authenticates with a credential of its own.
 */
@Export
@Version("1.0.0")
package io.netloom.api.agent;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
