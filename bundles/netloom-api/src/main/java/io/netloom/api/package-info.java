/**
 * Netloom's shared vocabulary: exceptions every service may raise and the constants that bind bundles together.
 */
@Export
@Version("1.0.0")
package io.netloom.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
