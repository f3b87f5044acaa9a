package io.netloom.api.driver;

import java.util.Objects;

/**
 * One member of an address set: the address of one port in the set named {@code set} (a security group's id). Filter
 * rules reference the set as a whole ({@link io.netloom.api.firewall.FilterRule#remoteSet()}); membership is held
 * once per member, so a port joining or leaving a group is one entry added or removed, whatever the size of the
 * group and however many rules reference it. Two members of one set may share an address (ports of networks that
 * are not peered may overlap); the address is in the set while any member holds it.
 *
 * <p>A set with no member matches nothing. Only drivers that declare {@link DriverCapability#ADDRESS_SETS} are handed
 * these entries.
 *
 * @param set the address set's id
 * @param port the member port's id
 * @param address the member's address, canonical IPv4 or IPv6, no prefix length
 */
public record AddressSetEntry(String set, String port, String address) implements ConfigEntry {

    /**
     * Checks that no component is missing.
     */
    public AddressSetEntry {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(address, "address");
    }

    /**
     * @return whether the address is IPv6
     */
    public boolean ipv6() {
        return address.indexOf(':') >= 0;
    }

    @Override
    public String key() {
        return "set:" + set + ":" + port;
    }

    @Override
    public String owner() {
        return port;
    }
}
