package io.netloom.itests.conformance;

import java.util.Objects;

/**
 * A port a scenario created, as a probe needs to know it.
 *
 * @param name the scenario's name for it, such as {@code pa1}
 * @param id the id Netloom gave it
 * @param ip the address Netloom allocated
 * @param network the id of its network
 */
public record ScenarioPort(String name, String id, String ip, String network) {

    /**
     * Checks that no component is missing.
     */
    public ScenarioPort {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(network, "network");
    }
}
