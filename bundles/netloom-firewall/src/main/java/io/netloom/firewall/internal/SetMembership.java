package io.netloom.firewall.internal;

/**
 * Which addresses the address sets hold now, as filter rules that reference a set ask it.
 */
@FunctionalInterface
public interface SetMembership {

    /** Sets with no member: a rule referencing one matches nothing. */
    SetMembership NONE = (set, address) -> false;

    /**
     * @param set an address set's id (a security group's id)
     * @param address an address
     * @return whether the set holds the address
     */
    boolean contains(String set, PacketAddress address);
}
