package io.netloom.hostnet;

import java.util.List;
import java.util.Optional;

/**
 * One change to a binding's devices, as {@link NetnsBinding#changes} works them out: run one at a time as
 * commands, as lines of one {@code ip -batch} per namespace, or in process through netlink ({@link InProcess}).
 * What a binding needs is decided in one place; how it reaches the kernel in another.
 */
sealed interface Change {

    /**
     * @return the namespace it runs in: empty for the caller's own
     */
    Optional<String> namespace();

    /**
     * @return its arguments after {@code ip [-n NS]}, or empty when it is not an {@code ip} command
     */
    List<String> ipArguments();

    /**
     * @return the same as a line of {@code ip -batch}, which takes no options such as {@code -4}
     */
    default List<String> batchLine() {
        return ipArguments();
    }

    /** {@code ip link set dev DEVICE address MAC}. */
    record LinkAddress(Optional<String> namespace, String device, String mac) implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of("link", "set", "dev", device, "address", mac);
        }
    }

    /** {@code ip link set dev DEVICE mtu MTU}. */
    record LinkMtu(Optional<String> namespace, String device, int mtu) implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of("link", "set", "dev", device, "mtu", Integer.toString(mtu));
        }
    }

    /** {@code ip link set dev DEVICE up}. */
    record LinkUp(Optional<String> namespace, String device) implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of("link", "set", "dev", device, "up");
        }
    }

    /** {@code ip addr del CIDR dev DEVICE}. */
    record AddressDel(Optional<String> namespace, String device, InterfaceAddress address) implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of("addr", "del", address.cidr(), "dev", device);
        }
    }

    /** {@code ip addr add CIDR dev DEVICE}. */
    record AddressAdd(Optional<String> namespace, String device, InterfaceAddress address) implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of("addr", "add", address.cidr(), "dev", device);
        }
    }

    /** {@code ip -4|-6 route replace default via GATEWAY dev DEVICE}. */
    record DefaultRoute(Optional<String> namespace, String device, String gateway, boolean ipv6)
            implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of(ipv6 ? "-6" : "-4", "route", "replace", "default", "via", gateway, "dev", device);
        }

        /** The family follows from the gateway's address. */
        @Override
        public List<String> batchLine() {
            return ipArguments().subList(1, ipArguments().size());
        }
    }

    /** {@code ethtool -K DEVICE tx off}, which is not an {@code ip} command. */
    record TxChecksumOffloadOff(Optional<String> namespace, String device) implements Change {
        @Override
        public List<String> ipArguments() {
            return List.of();
        }
    }
}
