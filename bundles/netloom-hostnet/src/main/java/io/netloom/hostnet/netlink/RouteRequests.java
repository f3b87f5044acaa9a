package io.netloom.hostnet.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Routing-netlink requests (rtnetlink, {@code NETLINK_ROUTE}) written one after another into one buffer, so that the
 * kernel takes them in a single {@code send} and handles them in order, and the reading of their answers: every
 * request has its own sequence number and gets exactly one answer, an acknowledgement (an {@code NLMSG_ERROR} whose
 * error is 0), a refusal (a negative {@code errno}), or for a link query the link itself.
 *
 * <p>The formats are the kernel's, in the machine's byte order: {@code struct nlmsghdr} (16 bytes), then
 * {@code struct ifinfomsg} (16), {@code ifaddrmsg} (8) or {@code rtmsg} (12), then attributes, each a 4-byte
 * {@code struct rtattr} and its value, padded to 4 bytes.
 */
public final class RouteRequests {

    static final short RTM_NEWLINK = 16;
    static final short RTM_GETLINK = 18;
    static final short RTM_NEWADDR = 20;
    static final short RTM_NEWROUTE = 24;
    static final short NLMSG_ERROR = 2;

    static final short NLM_F_REQUEST = 0x1;
    static final short NLM_F_ACK = 0x4;
    static final short NLM_F_REPLACE = 0x100;
    static final short NLM_F_CREATE = 0x400;

    static final short IFLA_IFNAME = 3;
    static final short IFA_ADDRESS = 1;
    static final short IFA_LOCAL = 2;
    static final short RTA_OIF = 4;
    static final short RTA_GATEWAY = 5;

    static final int IFF_UP = 0x1;
    static final byte AF_UNSPEC = 0;
    static final byte AF_INET = 2;
    static final byte AF_INET6 = 10;
    static final byte RT_TABLE_MAIN = (byte) 254;
    static final byte RTPROT_BOOT = 3;
    static final byte RT_SCOPE_UNIVERSE = 0;
    static final byte RTN_UNICAST = 1;

    private static final int HEADER = 16;

    private ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
    private final Map<Integer, String> described = new HashMap<>();
    private final int firstSequence;
    private int nextSequence;
    private int messageStart;

    /**
     * @param firstSequence the sequence number of the first request; the others follow it
     */
    public RouteRequests(int firstSequence) {
        this.firstSequence = firstSequence;
        this.nextSequence = firstSequence;
    }

    /**
     * Brings a device up, like {@code ip link set dev NAME up}.
     *
     * @param device the device's name
     * @return the request's sequence number
     */
    public int linkUp(String device) {
        int seq = begin(RTM_NEWLINK, (short) (NLM_F_REQUEST | NLM_F_ACK), "link set dev " + device + " up");
        ifinfomsg(IFF_UP, IFF_UP);
        attribute(IFLA_IFNAME, name(device));
        return end(seq);
    }

    /**
     * Asks for a device by name; the answer carries its index (see {@link Answers#index}).
     *
     * @param device the device's name
     * @return the request's sequence number
     */
    public int link(String device) {
        int seq = begin(RTM_GETLINK, NLM_F_REQUEST, "link show dev " + device);
        ifinfomsg(0, 0);
        attribute(IFLA_IFNAME, name(device));
        return end(seq);
    }

    /**
     * Sets an address on a device, or leaves it as it is when the device has it, like {@code ip addr replace}.
     *
     * @param index the device's index
     * @param literal the address
     * @param prefixLength its prefix length
     * @return the request's sequence number
     * @throws IllegalArgumentException when the address is not an IP address literal
     */
    public int address(int index, String literal, int prefixLength) {
        byte[] address = Addresses.parse(literal);
        int seq = begin(RTM_NEWADDR, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                "addr replace " + Addresses.format(address) + "/" + prefixLength + " dev #" + index);
        buffer.put(family(address)).put((byte) prefixLength).put((byte) 0).put(RT_SCOPE_UNIVERSE).putInt(index);
        attribute(IFA_LOCAL, address);
        attribute(IFA_ADDRESS, address);
        return end(seq);
    }

    /**
     * Sets the default route of the gateway's family, like {@code ip route replace default via GATEWAY dev DEVICE}.
     *
     * @param index the device's index
     * @param literal the gateway, of the family of the route
     * @return the request's sequence number
     * @throws IllegalArgumentException when the gateway is not an IP address literal
     */
    public int defaultRoute(int index, String literal) {
        byte[] gateway = Addresses.parse(literal);
        int seq = begin(RTM_NEWROUTE, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE),
                "route replace default via " + Addresses.format(gateway) + " dev #" + index);
        buffer.put(family(gateway)).put((byte) 0).put((byte) 0).put((byte) 0).put(RT_TABLE_MAIN).put(RTPROT_BOOT)
                .put(RT_SCOPE_UNIVERSE).put(RTN_UNICAST).putInt(0);
        attribute(RTA_GATEWAY, gateway);
        attribute(RTA_OIF, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array());
        return end(seq);
    }

    /**
     * @return the requests, ready to send
     */
    public byte[] bytes() {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    /**
     * @return the sequence number of the first request
     */
    public int firstSequence() {
        return firstSequence;
    }

    /**
     * @return how many requests were written
     */
    public int count() {
        return described.size();
    }

    /**
     * @param sequence a request's sequence number
     * @return what the request does, in {@code ip}'s words, for messages
     */
    public String describe(int sequence) {
        return described.get(sequence);
    }

    private int begin(short type, short flags, String description) {
        reserve(512);
        int seq = nextSequence++;
        described.put(seq, description);
        messageStart = buffer.position();
        buffer.putInt(0).putShort(type).putShort(flags).putInt(seq).putInt(0);
        return seq;
    }

    /** Writes the length of the message begun last into its header. */
    private int end(int seq) {
        buffer.putInt(messageStart, buffer.position() - messageStart);
        return seq;
    }

    private void ifinfomsg(int flags, int change) {
        buffer.put(AF_UNSPEC).put((byte) 0).putShort((short) 0).putInt(0).putInt(flags).putInt(change);
    }

    private void attribute(short type, byte[] value) {
        reserve(4 + value.length + 3);
        buffer.putShort((short) (4 + value.length)).putShort(type).put(value);
        while (buffer.position() % 4 != 0) {
            buffer.put((byte) 0);
        }
    }

    private void reserve(int bytes) {
        if (buffer.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    private static byte[] name(String device) {
        byte[] bytes = device.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length > 15) {
            throw new IllegalArgumentException("A device name has 1 to 15 characters: '" + device + "'");
        }
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    private static byte family(byte[] address) {
        return switch (address.length) {
            case 4 -> AF_INET;
            case 16 -> AF_INET6;
            default -> throw new IllegalArgumentException("An address has 4 or 16 bytes, not " + address.length);
        };
    }

    /**
     * The answers to a batch of requests, by sequence number.
     */
    public static final class Answers {

        private final Map<Integer, Integer> errors = new HashMap<>();
        private final Map<Integer, Integer> indexes = new HashMap<>();

        /**
         * Reads the messages of one received buffer; answers to sequence numbers outside the batch are ignored.
         *
         * @param received what one {@code recv} returned
         * @param length how many bytes of it
         * @throws IllegalStateException when a message is cut short
         */
        public void read(byte[] received, int length) {
            ByteBuffer in = ByteBuffer.wrap(received, 0, length).order(ByteOrder.nativeOrder());
            while (in.remaining() >= HEADER) {
                int start = in.position();
                int messageLength = in.getInt(start);
                short type = in.getShort(start + 4);
                int seq = in.getInt(start + 8);
                if (messageLength < HEADER || messageLength > in.limit() - start) {
                    throw new IllegalStateException("A netlink message of " + messageLength + " bytes at " + start
                            + " of " + length + " received");
                }
                if (type == NLMSG_ERROR && messageLength >= HEADER + 4) {
                    errors.put(seq, -in.getInt(start + HEADER));
                } else if (type == RTM_NEWLINK && messageLength >= HEADER + 16) {
                    indexes.put(seq, in.getInt(start + HEADER + 4));
                    errors.put(seq, 0);
                }
                in.position(start + ((messageLength + 3) & ~3));
            }
        }

        /**
         * @param sequence a request's sequence number
         * @return whether its answer came
         */
        public boolean has(int sequence) {
            return errors.containsKey(sequence);
        }

        /**
         * @param sequence a request's sequence number
         * @return the {@code errno} it was refused with, or 0 when it was done
         */
        public int error(int sequence) {
            return errors.getOrDefault(sequence, 0);
        }

        /**
         * @param sequence the sequence number of a {@link #link} request
         * @return the device's index, or 0 when it was not found
         */
        public int index(int sequence) {
            return indexes.getOrDefault(sequence, 0);
        }
    }
}
