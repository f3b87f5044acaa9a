package io.netloom.console.internal;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties by which the Felix Web Console recognises a plain servlet as one of its plugins
 * ({@code felix.webconsole.label}, {@code .title}, {@code .category}). Declared here, rather than imported, so the
 * console bundle never depends on the Web Console being installed.
 */
@ComponentPropertyType
public @interface WebConsolePluginProperties {

    /** Prefix of every property of this type. */
    String PREFIX_ = "felix.webconsole.";

    /**
     * @return the last path segment of the plugin's page, below {@code /system/console/}
     */
    String label();

    /**
     * @return the name of the plugin's tab
     */
    String title();

    /**
     * @return the menu the tab is listed in
     */
    String category();
}
