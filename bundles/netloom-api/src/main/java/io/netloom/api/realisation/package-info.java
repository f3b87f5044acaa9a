/**
 * Realisation status: how far each object of the desired state is realised on its data plane.
 */
@Export
@Version("1.1.0")
package io.netloom.api.realisation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
