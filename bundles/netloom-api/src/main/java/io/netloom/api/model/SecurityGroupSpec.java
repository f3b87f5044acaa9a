package io.netloom.api.model;

/**
 * A request to create a security group.
 *
 * @param name the name
 * @param description free text, or {@code null}
 */
public record SecurityGroupSpec(String name, String description) {
}
