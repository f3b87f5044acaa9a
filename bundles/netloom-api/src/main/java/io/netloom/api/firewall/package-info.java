/**
 * Security groups compiled into driver-neutral filter rules, packet decisions and lint findings.
 */
@Export
@Version("1.0.0")
package io.netloom.api.firewall;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
