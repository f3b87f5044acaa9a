package io.netloom.api.model;

import java.util.Objects;

/**
 * A range of addresses of one subnet, both ends included: an allocation pool from which IPAM chooses the addresses
 * of ports that ask for none.
 *
 * @param start the first address of the range, canonical
 * @param end the last address of the range, canonical, not below {@code start}
 */
public record AddressRange(String start, String end) {

    /**
     * Checks that both ends are there.
     */
    public AddressRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
    }
}
