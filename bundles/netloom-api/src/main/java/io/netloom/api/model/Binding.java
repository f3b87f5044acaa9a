package io.netloom.api.model;

import java.util.Objects;

/**
 * Where a port is attached on the host, for example {@code netns} {@code ns-a}: the driver makes a veth pair, moves
 * one end into that network namespace and configures it with the port's MAC, IP and default route.
 *
 * @param type the binding type; {@code netns} is the one defined now
 * @param target what the type names: for {@code netns}, the namespace name
 */
public record Binding(String type, String target) {

    /** The binding type of a port attached to a network namespace. */
    public static final String NETNS = "netns";

    /**
     * Checks that no component is missing.
     */
    public Binding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
    }
}
