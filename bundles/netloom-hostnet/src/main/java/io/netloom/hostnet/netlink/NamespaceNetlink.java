package io.netloom.hostnet.netlink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

/**
 * Configures devices inside a network namespace from this process, with no program started: a netlink socket (and,
 * for ethtool settings, an IPv4 socket) is opened inside the namespace, and the requests go to the kernel in one
 * message. A process per namespace ({@code nsenter … ip -batch}) costs a few milliseconds in {@code fork}, {@code exec}
 * and dynamic linking; this costs a fraction of one.
 *
 * <p>A socket belongs for good to the network namespace of the thread that opened it, so the sockets are opened by a
 * short-lived thread that enters the namespace ({@code setns}) and ends; no thread that goes on running ever leaves
 * its namespace, so no command any other thread starts can land in the wrong one.
 *
 * <p>Available on 64-bit Linux when the C library can be reached (through JNA), unless the system property
 * {@value #DISABLE_PROPERTY} is {@code false}; {@link #available} says whether.
 */
public final class NamespaceNetlink {

    /** System property: {@code false} turns in-process configuration off (every namespace then gets a process). */
    public static final String DISABLE_PROPERTY = "netloom.hostnet.netlink";

    private static final Logger LOG = LoggerFactory.getLogger(NamespaceNetlink.class);
    private static final int ETHTOOL_STXCSUM = 0x17;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;
    private static final int EAGAIN = 11;
    private static final Optional<NamespaceNetlink> INSTANCE = load();

    private final LibC libc;
    private final AtomicInteger sequences = new AtomicInteger(1);

    private NamespaceNetlink(LibC libc) {
        this.libc = libc;
    }

    /**
     * @return the configurer, when this machine and process allow it
     */
    public static Optional<NamespaceNetlink> available() {
        return INSTANCE;
    }

    private static Optional<NamespaceNetlink> load() {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"))) {
            LOG.info("Namespaces are configured by processes ({}=false)", DISABLE_PROPERTY);
            return Optional.empty();
        }
        try {
            if (!Platform.isLinux() || !Platform.is64Bit()) {
                return Optional.empty();
            }
            NamespaceNetlink netlink = new NamespaceNetlink(Native.load("c", LibC.class));
            LOG.info("Namespaces are configured in process through netlink (set {}=false for a process each)",
                    DISABLE_PROPERTY);
            return Optional.of(netlink);
        } catch (LinkageError | RuntimeException e) {
            LOG.info("Namespaces are configured by processes: the C library cannot be reached in process ({})",
                    e.toString());
            return Optional.empty();
        }
    }

    /**
     * What one device inside the namespace gets.
     *
     * @param device the device's name
     * @param address its address, without prefix length
     * @param prefixLength the prefix length
     * @param gateway the default route's gateway, of the address's family
     * @param txChecksumOffloadOff whether TX checksum offload goes off, as {@code ethtool -K DEVICE tx off}
     */
    public record End(String device, String address, int prefixLength, String gateway,
            boolean txChecksumOffloadOff) {

        /**
         * Checks the fields.
         */
        public End {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(gateway, "gateway");
        }
    }

    /**
     * Brings {@code lo} and every device up, gives each its address, sets the default route via its gateway and turns
     * TX checksum offload off where asked, in this order, as one {@code ip -batch} of the same lines would. Requests
     * for one namespace go to the kernel in two messages (the devices' indexes are needed for addresses and routes).
     *
     * @param namespace the namespace's file, as {@code /run/netns/NAME}
     * @param ends the devices, already in the namespace
     * @throws NetlinkException when the namespace cannot be entered or the kernel refuses a request; what was
     *     done before stays done (every request is idempotent, so doing it all again is safe)
     */
    public void configure(Path namespace, List<End> ends) {
        boolean ethtool = ends.stream().anyMatch(End::txChecksumOffloadOff);
        int[] sockets = open(namespace, ethtool);
        try {
            RouteRequests first = new RouteRequests(sequences.getAndAdd(1 + 2 * ends.size()));
            first.linkUp("lo");
            List<Integer> queries = new ArrayList<>();
            for (End end : ends) {
                first.linkUp(end.device());
                queries.add(first.link(end.device()));
            }
            RouteRequests.Answers answers = exchange(sockets[0], first, namespace);
            RouteRequests second = new RouteRequests(sequences.getAndAdd(2 * ends.size()));
            for (int i = 0; i < ends.size(); i++) {
                End end = ends.get(i);
                int index = answers.index(queries.get(i));
                if (index == 0) {
                    throw new NetlinkException("Device " + end.device() + " is not in " + namespace);
                }
                second.address(index, Addresses.parse(end.address()), end.prefixLength());
                second.defaultRoute(index, Addresses.parse(end.gateway()));
            }
            exchange(sockets[0], second, namespace);
            if (ethtool) {
                for (End end : ends) {
                    if (end.txChecksumOffloadOff()) {
                        txChecksumOffloadOff(sockets[1], end.device(), namespace);
                    }
                }
            }
        } finally {
            for (int fd : sockets) {
                if (fd >= 0) {
                    closeQuietly(fd);
                }
            }
        }
    }

    /**
     * Opens a netlink socket (and an IPv4 socket when asked) inside the namespace, on a thread of its own that
     * enters the namespace and ends.
     *
     * @return the netlink socket, then the IPv4 socket or -1
     */
    private int[] open(Path namespace, boolean inet) {
        if (!Files.exists(namespace)) {
            throw new NetlinkException("Network namespace " + namespace + " does not exist");
        }
        int[] sockets = {-1, -1};
        RuntimeException[] failure = new RuntimeException[1];
        Thread opener = new Thread(() -> {
            int ns = -1;
            try {
                ns = libc.open(namespace.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
                libc.setns(ns, LibC.CLONE_NEWNET);
                sockets[0] = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
                if (inet) {
                    sockets[1] = libc.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
                }
            } catch (LastErrorException e) {
                failure[0] = new NetlinkException("Cannot enter network namespace " + namespace + ": "
                        + message(e), e);
            } catch (RuntimeException e) {
                failure[0] = e;
            } finally {
                if (ns >= 0) {
                    closeQuietly(ns);
                }
            }
        }, "netloom-netns-enter");
        opener.setDaemon(true);
        opener.start();
        try {
            opener.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // The opener ends on its own; what it opened is not closed here, so give up without waiting for it.
            throw new NetlinkException("Interrupted while entering " + namespace, e);
        }
        if (failure[0] != null) {
            for (int fd : sockets) {
                if (fd >= 0) {
                    closeQuietly(fd);
                }
            }
            throw failure[0];
        }
        byte[] fiveSeconds = new byte[16];
        fiveSeconds[0] = 5;
        libc.setsockopt(sockets[0], LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, fiveSeconds, fiveSeconds.length);
        return sockets;
    }

    /** Sends the requests in one message and reads until each has its answer; any refusal fails the whole. */
    private RouteRequests.Answers exchange(int socket, RouteRequests requests, Path namespace) {
        byte[] bytes = requests.bytes();
        RouteRequests.Answers answers = new RouteRequests.Answers();
        try {
            long sent = libc.send(socket, bytes, bytes.length, 0);
            if (sent != bytes.length) {
                throw new NetlinkException("Sent " + sent + " of " + bytes.length + " bytes to the kernel");
            }
            byte[] buffer = new byte[65536];
            int first = requests.firstSequence();
            for (int seq = first; seq < first + requests.count(); seq++) {
                while (!answers.has(seq)) {
                    long received = libc.recv(socket, buffer, buffer.length, 0);
                    answers.read(buffer, (int) received);
                }
                int error = answers.error(seq);
                if (error != 0) {
                    throw new NetlinkException("In " + namespace + ", the kernel refused '" + requests.describe(seq)
                            + "': " + libc.strerror(error));
                }
            }
            return answers;
        } catch (LastErrorException e) {
            throw new NetlinkException("Netlink in " + namespace + ": " + (e.getErrorCode() == EAGAIN
                    ? "no answer from the kernel within 5 s" : message(e)), e);
        }
    }

    /** {@code ethtool -K DEVICE tx off}: the {@code ETHTOOL_STXCSUM} ioctl with value 0. */
    private void txChecksumOffloadOff(int socket, String device, Path namespace) {
        try (Memory request = new Memory(IFREQ_SIZE); Memory value = new Memory(8)) {
            request.clear();
            byte[] name = device.getBytes(StandardCharsets.US_ASCII);
            if (name.length >= IFNAMSIZ) {
                throw new NetlinkException("Device name too long: " + device);
            }
            request.write(0, name, 0, name.length);
            value.setInt(0, ETHTOOL_STXCSUM);
            value.setInt(4, 0);
            request.setPointer(IFNAMSIZ, value);
            libc.ioctl(socket, new NativeLong(LibC.SIOCETHTOOL), request);
        } catch (LastErrorException e) {
            throw new NetlinkException("In " + namespace + ", turning TX checksum offload off on " + device
                    + " failed: " + message(e), e);
        }
    }

    private String message(LastErrorException e) {
        return libc.strerror(e.getErrorCode());
    }

    private void closeQuietly(int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException e) {
            LOG.debug("close({}) failed: {}", fd, message(e));
        }
    }
}
