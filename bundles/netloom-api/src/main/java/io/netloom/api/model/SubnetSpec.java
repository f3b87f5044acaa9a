package io.netloom.api.model;

/**
 * A request to create a subnet, as the user wrote it.
 *
 * @param name the name
 * @param cidr the prefix
 * @param gateway the gateway address, or {@code null} for the first host of the prefix
 */
public record SubnetSpec(String name, String cidr, String gateway) {
}
