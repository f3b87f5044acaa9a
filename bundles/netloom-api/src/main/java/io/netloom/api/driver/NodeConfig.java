package io.netloom.api.driver;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node's whole configuration, desired or actual, driver-neutral: its entries by key.
 *
 * @param node the node id, {@code node-TYPE}
 * @param entries every entry by its key
 */
public record NodeConfig(String node, Map<String, ConfigEntry> entries) {

    /**
     * Checks the node and freezes the map.
     */
    public NodeConfig {
        Objects.requireNonNull(node, "node");
        entries = Map.copyOf(entries);
    }

    /**
     * @param node the node id
     * @param entries the entries, keyed by their own keys (the last of equal keys wins)
     * @return the configuration
     */
    public static NodeConfig of(String node, Collection<? extends ConfigEntry> entries) {
        Map<String, ConfigEntry> byKey = new LinkedHashMap<>();
        for (ConfigEntry e : entries) {
            byKey.put(e.key(), e);
        }
        return new NodeConfig(node, byKey);
    }

    /**
     * @param node the node id
     * @return a configuration with nothing in it
     */
    public static NodeConfig empty(String node) {
        return new NodeConfig(node, Map.of());
    }
}
