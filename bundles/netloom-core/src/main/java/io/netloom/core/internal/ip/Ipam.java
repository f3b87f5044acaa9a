package io.netloom.core.internal.ip;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import io.netloom.api.ConflictException;
import io.netloom.api.ValidationException;
import io.netloom.api.model.AddressRange;

/**
 * Address management inside one subnet: its default gateway, the next free host address, and checks of addresses
 * a user asks for.
 *
 * <p>The usable hosts of a subnet are:
 * <ul>
 * <li>IPv4 /0 to /30: all but the network (all-zero host) and broadcast (all-one host) addresses;</li>
 * <li>IPv4 /31: both addresses (RFC 3021, point-to-point links); IPv4 /32: the one address;</li>
 * <li>IPv6 /0 to /126: all but the subnet-router anycast address (all-zero host, RFC 4291 section 2.6.1); IPv6 has
 * no broadcast;</li>
 * <li>IPv6 /127: both addresses (RFC 6164); IPv6 /128: the one address.</li>
 * </ul>
 *
 * <p>Addresses are exchanged as canonical strings ({@link Cidrs#canonicalAddress}); the {@code used} sets and
 * gateways given to these methods must be in that form.
 */
public final class Ipam {

    private static final String INVALID_ADDRESS = "INVALID_ADDRESS";
    private static final String ADDRESS_IN_USE = "ADDRESS_IN_USE";

    private Ipam() {
    }

    /**
     * The default gateway of a subnet: its first usable host (see the class description), so {@code 10.1.0.1} for
     * {@code 10.1.0.0/16}, {@code fd00:1::1} for {@code fd00:1::/64}, the lower address of a /31 or /127 and the
     * address itself of a /32 or /128.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @return the canonical gateway address
     * @throws IllegalArgumentException when {@code subnet} is not a prefix block
     */
    public static String defaultGateway(IPAddress subnet) {
        Cidrs.requirePrefix(subnet);
        return Cidrs.canonicalAddress(at(subnet, firstHost(subnet)));
    }

    /**
     * Finds the lowest usable host of a subnet that is neither the gateway nor used.
     *
     * <p>The search walks upward from the first host and stops at the first free one, so it looks at no more than
     * {@code used.size() + 2} candidates however large the subnet is.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param gateway the subnet's canonical gateway address, or {@code null} when it has none
     * @param used canonical addresses already taken in the subnet (others are ignored)
     * @return the canonical free address, or empty when every usable host is taken
     * @throws IllegalArgumentException when {@code subnet} is not a prefix block
     */
    public static Optional<String> allocate(IPAddress subnet, String gateway, Set<String> used) {
        return allocate(subnet, gateway, used, null).map(Allocated::address);
    }

    /**
     * A free address and its position in the subnet.
     *
     * @param address the canonical address
     * @param value its value, where a later search that knows everything below it taken may start
     */
    public record Allocated(String address, BigInteger value) {
    }

    /**
     * Finds the lowest usable host at or above {@code from} that is neither the gateway nor used. A caller that
     * allocates many addresses in a row passes the value of the last one found, so the row costs one walk over the
     * subnet's used addresses, not one per address.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param gateway the subnet's canonical gateway address, or {@code null} when it has none
     * @param used canonical addresses already taken in the subnet
     * @param from where to start, or {@code null} for the first host; every host below it must be taken
     * @return the free address, or empty when every usable host from there is taken
     */
    public static Optional<Allocated> allocate(IPAddress subnet, String gateway, Set<String> used, BigInteger from) {
        Cidrs.requirePrefix(subnet);
        Objects.requireNonNull(used, "used");
        BigInteger last = lastHost(subnet);
        BigInteger first = firstHost(subnet);
        BigInteger start = from == null || from.compareTo(first) < 0 ? first : from;
        return walk(subnet, gateway, used, start, last);
    }

    /** The lowest address from {@code start} to {@code end} that is neither the gateway nor used. */
    private static Optional<Allocated> walk(IPAddress subnet, String gateway, Set<String> used, BigInteger start,
            BigInteger end) {
        for (BigInteger value = start; value.compareTo(end) <= 0; value = value.add(BigInteger.ONE)) {
            String candidate = Cidrs.canonicalAddress(at(subnet, value));
            if (!candidate.equals(gateway) && !used.contains(candidate)) {
                return Optional.of(new Allocated(candidate, value));
            }
        }
        return Optional.empty();
    }

    /**
     * Finds the lowest free address at or above {@code from} inside the allocation pools (every usable host when
     * there are none) that is neither the gateway nor used.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param gateway the subnet's canonical gateway address, or {@code null} when it has none
     * @param pools the subnet's pools as {@link #checkPools} returns them (sorted, disjoint), empty for all hosts
     * @param used canonical addresses already taken in the subnet
     * @param from where to start, or {@code null} for the first host; every pool address below it must be taken
     * @return the free address, or empty when every pool address from there is taken
     */
    public static Optional<Allocated> allocate(IPAddress subnet, String gateway, List<AddressRange> pools,
            Set<String> used, BigInteger from) {
        if (pools.isEmpty()) {
            return allocate(subnet, gateway, used, from);
        }
        Cidrs.requirePrefix(subnet);
        Objects.requireNonNull(used, "used");
        for (AddressRange pool : pools) {
            BigInteger start = value(pool.start());
            Optional<Allocated> found = walk(subnet, gateway, used,
                    from != null && from.compareTo(start) > 0 ? from : start, value(pool.end()));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * Checks a subnet's allocation pools: each a range of usable hosts of the subnet, start not above end, none
     * holding the gateway, no two overlapping.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param gateway the subnet's canonical gateway address, or {@code null} when it has none
     * @param pools the pools as the user wrote them, or {@code null} for none
     * @param field the input field path of the list, such as {@code allocationPools}
     * @return the pools with canonical addresses, sorted by start; empty for none
     * @throws ValidationException {@code INVALID_ALLOCATION_POOL} (or {@code INVALID_ADDRESS} for an address that
     *         is malformed or not a usable host of the subnet), with the field of the pool at fault
     */
    public static List<AddressRange> checkPools(IPAddress subnet, String gateway, List<AddressRange> pools,
            String field) {
        if (pools == null || pools.isEmpty()) {
            return List.of();
        }
        List<AddressRange> out = new ArrayList<>();
        for (int i = 0; i < pools.size(); i++) {
            String at = field + "[" + i + "]";
            AddressRange pool = pools.get(i);
            if (pool == null || pool.start() == null || pool.end() == null) {
                throw new ValidationException("INVALID_ALLOCATION_POOL", "An allocation pool has a start and an end",
                        at);
            }
            String start = checkUsableHost(subnet, pool.start(), at + ".start");
            String end = checkUsableHost(subnet, pool.end(), at + ".end");
            BigInteger first = value(start);
            BigInteger last = value(end);
            if (first.compareTo(last) > 0) {
                throw new ValidationException("INVALID_ALLOCATION_POOL", "Allocation pool " + start + "-" + end
                        + " starts after its end", at);
            }
            if (gateway != null && value(gateway).compareTo(first) >= 0 && value(gateway).compareTo(last) <= 0) {
                throw new ValidationException("INVALID_ALLOCATION_POOL", "Allocation pool " + start + "-" + end
                        + " holds the gateway " + gateway, at);
            }
            out.add(new AddressRange(start, end));
        }
        out.sort(Comparator.comparing(r -> value(r.start())));
        for (int i = 1; i < out.size(); i++) {
            if (value(out.get(i).start()).compareTo(value(out.get(i - 1).end())) <= 0) {
                throw new ValidationException("INVALID_ALLOCATION_POOL", "Allocation pools " + out.get(i - 1).start()
                        + "-" + out.get(i - 1).end() + " and " + out.get(i).start() + "-" + out.get(i).end()
                        + " overlap", field);
            }
        }
        return List.copyOf(out);
    }

    private static BigInteger value(String canonical) {
        return Cidrs.parseAddress(canonical, "address").getValue();
    }

    /**
     * Checks an address a user asked for on a port.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param gateway the subnet's canonical gateway address, or {@code null} when it has none
     * @param used canonical addresses already taken in the subnet
     * @param ip the address as the user wrote it
     * @param field the input field path reported on failure, such as {@code ip}
     * @return the canonical address
     * @throws ValidationException {@code INVALID_ADDRESS} when {@code ip} is malformed, outside the subnet, or its
     *         network, broadcast or subnet-router anycast address where those are not usable
     * @throws ConflictException {@code ADDRESS_IN_USE} when {@code ip} is the gateway or already used
     * @throws IllegalArgumentException when {@code subnet} is not a prefix block
     */
    public static String checkExplicit(IPAddress subnet, String gateway, Set<String> used, String ip, String field) {
        Objects.requireNonNull(used, "used");
        String address = checkUsableHost(subnet, ip, field);
        if (address.equals(gateway)) {
            throw new ConflictException(ADDRESS_IN_USE, address + " is the gateway of subnet "
                    + Cidrs.canonical(subnet) + ".", field);
        }
        if (used.contains(address)) {
            throw new ConflictException(ADDRESS_IN_USE, address + " is already in use in subnet "
                    + Cidrs.canonical(subnet) + ".", field);
        }
        return address;
    }

    /**
     * Checks a gateway a user gave for a subnet: it must be a usable host inside the subnet.
     *
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param gateway the gateway as the user wrote it
     * @param field the input field path reported on failure, such as {@code gateway}
     * @return the canonical gateway address
     * @throws ValidationException {@code INVALID_ADDRESS} when {@code gateway} is malformed, outside the subnet, or
     *         its network, broadcast or subnet-router anycast address where those are not usable
     * @throws IllegalArgumentException when {@code subnet} is not a prefix block
     */
    public static String checkGateway(IPAddress subnet, String gateway, String field) {
        return checkUsableHost(subnet, gateway, field);
    }

    /**
     * @param subnet a prefix block, as {@link Cidrs#parsePrefix} returns
     * @param address an address of the same IP version inside it
     * @return whether it is a usable host: not the network (subnet-router anycast) or broadcast address where
     *     those are not usable
     */
    public static boolean isUsableHost(IPAddress subnet, IPAddress address) {
        BigInteger value = address.getValue();
        return value.compareTo(firstHost(subnet)) >= 0 && value.compareTo(lastHost(subnet)) <= 0;
    }

    private static String checkUsableHost(IPAddress subnet, String text, String field) {
        Cidrs.requirePrefix(subnet);
        IPAddress address = Cidrs.parseAddress(text, field);
        String canonical = Cidrs.canonicalAddress(address);
        String cidr = Cidrs.canonical(subnet);
        if (address.getIPVersion() != subnet.getIPVersion()) {
            throw new ValidationException(INVALID_ADDRESS, canonical + " is an " + Cidrs.version(address)
                    + " address but subnet " + cidr + " is " + Cidrs.version(subnet) + ".", field);
        }
        if (!Cidrs.contains(subnet, address)) {
            throw new ValidationException(INVALID_ADDRESS, canonical + " is outside subnet " + cidr + ".", field);
        }
        BigInteger value = address.getValue();
        if (value.compareTo(firstHost(subnet)) < 0) {
            String role = subnet.isIPv4() ? "network address" : "subnet-router anycast address";
            throw new ValidationException(INVALID_ADDRESS, canonical + " is the " + role + " of subnet " + cidr
                    + " and cannot be assigned.", field);
        }
        if (value.compareTo(lastHost(subnet)) > 0) {
            throw new ValidationException(INVALID_ADDRESS, canonical + " is the broadcast address of subnet " + cidr
                    + " and cannot be assigned.", field);
        }
        return canonical;
    }

    /** Numeric value of the first usable host. */
    private static BigInteger firstHost(IPAddress subnet) {
        BigInteger network = subnet.getValue();
        return hostBits(subnet) <= 1 ? network : network.add(BigInteger.ONE);
    }

    /** Numeric value of the last usable host; IPv6 has no broadcast address to leave out. */
    private static BigInteger lastHost(IPAddress subnet) {
        BigInteger top = subnet.getUpperValue();
        return subnet.isIPv4() && hostBits(subnet) > 1 ? top.subtract(BigInteger.ONE) : top;
    }

    private static int hostBits(IPAddress subnet) {
        return subnet.getBitCount() - subnet.getNetworkPrefixLength();
    }

    private static IPAddress at(IPAddress subnet, BigInteger value) {
        return subnet.isIPv4() ? new IPv4Address(value.intValue()) : new IPv6Address(value);
    }
}
