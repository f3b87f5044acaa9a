/**
 * The one JSON representation of Netloom's records, shared by REST, the shell's {@code --json} and the console.
 */
@Export
@Version("1.1.0")
package io.netloom.api.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
