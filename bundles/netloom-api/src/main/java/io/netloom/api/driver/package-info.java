/**
 * The southbound driver SPI: what a data-plane driver implements and how the registry describes it.
 */
@Export
@Version("1.1.0")
package io.netloom.api.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
