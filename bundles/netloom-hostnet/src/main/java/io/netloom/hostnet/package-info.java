/**
 * Host network plumbing shared by Netloom's kernel-facing drivers: external tools run through argument lists,
 * device names generated from ids, network-namespace port bindings.
 */
@Export
@Version("0.2.0")
package io.netloom.hostnet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
