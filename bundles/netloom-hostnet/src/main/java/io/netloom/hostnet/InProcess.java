package io.netloom.hostnet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;

import io.netloom.hostnet.netlink.LibC;
import io.netloom.hostnet.netlink.NetlinkException;
import io.netloom.hostnet.netlink.RouteRequests;

/**
 * Configures devices inside a network namespace from this process, with no program started: a netlink socket (and,
 * for ethtool settings, an IPv4 socket) is opened inside the namespace, and the requests go to the kernel in one
 * message. A process per namespace ({@code nsenter … ip -batch}) costs a few milliseconds in {@code fork},
 * {@code exec}
 * and dynamic linking; this costs a fraction of one.
 *
 * <p>A socket belongs for good to the network namespace of the thread that opened it, so the sockets are opened by a
 * short-lived thread that enters the namespace ({@code setns}) and ends; no thread that goes on running ever leaves
 * its namespace, so no command any other thread starts can land in the wrong one.
 *
 * <p>Available on 64-bit Linux when the C library can be reached (through JNA), unless the system property
 * {@value #DISABLE_PROPERTY} is {@code false}; {@link #available} says whether.
 */
final class InProcess {

    /** System property: {@code false} turns in-process configuration off (every namespace then gets a process). */
    static final String DISABLE_PROPERTY = "netloom.hostnet.netlink";

    private static final Logger LOG = LoggerFactory.getLogger(InProcess.class);
    private static final int ETHTOOL_STXCSUM = 0x17;
    private static final int IFREQ_SIZE = 40;
    private static final int IFNAMSIZ = 16;
    private static final int EAGAIN = 11;
    private static final Optional<InProcess> INSTANCE = load();

    private final LibC libc;
    private final AtomicInteger sequences = new AtomicInteger(1);

    private InProcess(LibC libc) {
        this.libc = libc;
    }

    /**
     * @return the configurer, when this machine and process allow it
     */
    static Optional<InProcess> available() {
        return INSTANCE;
    }

    private static Optional<InProcess> load() {
        if ("false".equalsIgnoreCase(System.getProperty(DISABLE_PROPERTY, "true"))) {
            LOG.info("Namespaces are configured by processes ({}=false)", DISABLE_PROPERTY);
            return Optional.empty();
        }
        try {
            if (!Platform.isLinux() || !Platform.is64Bit()) {
                return Optional.empty();
            }
            InProcess netlink = new InProcess(Native.load("c", LibC.class));
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
     * Makes the changes inside one namespace, with the outcome of running them in order as commands there: links
     * up, addresses and default routes go to the kernel in two messages (the devices' indexes, asked for in the
     * first, are needed in the second), then TX offload goes off device by device.
     *
     * @param namespace the namespace's name, under {@link Iproute2#NETNS_DIRECTORY}
     * @param changes what to change there: {@link Change.LinkUp}, {@link Change.AddressAdd},
     *     {@link Change.DefaultRoute} and {@link Change.TxChecksumOffloadOff}
     * @throws NetlinkException when the namespace cannot be entered or the kernel refuses a request; what was
     *     done before stays done (every change is idempotent, so doing it all again is safe)
     * @throws IllegalArgumentException for a change of another kind
     */
    void apply(String namespace, List<Change> changes) {
        Path file = Iproute2.NETNS_DIRECTORY.resolve(DeviceNames.validateNamespace(namespace));
        boolean ethtool = changes.stream().anyMatch(Change.TxChecksumOffloadOff.class::isInstance);
        RouteRequests links = new RouteRequests(sequences.getAndAdd(2 * changes.size()));
        Map<String, Integer> indexQueries = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change instanceof Change.LinkUp up) {
                links.linkUp(up.device());
            } else if (change instanceof Change.AddressAdd add) {
                indexQueries.computeIfAbsent(add.device(), links::link);
            } else if (change instanceof Change.DefaultRoute route) {
                indexQueries.computeIfAbsent(route.device(), links::link);
            } else if (!(change instanceof Change.TxChecksumOffloadOff)) {
                throw new IllegalArgumentException("Not made in process: " + change);
            }
        }
        int[] sockets = open(file, ethtool);
        try {
            RouteRequests.Answers answers = exchange(sockets[0], links, file);
            RouteRequests addressing = new RouteRequests(sequences.getAndAdd(changes.size()));
            for (Change change : changes) {
                if (change instanceof Change.AddressAdd add) {
                    addressing.address(index(answers, indexQueries, add.device(), file), add.address().address(),
                            add.address().prefixLength());
                } else if (change instanceof Change.DefaultRoute route) {
                    addressing.defaultRoute(index(answers, indexQueries, route.device(), file), route.gateway());
                }
            }
            if (addressing.count() > 0) {
                exchange(sockets[0], addressing, file);
            }
            for (Change change : changes) {
                if (change instanceof Change.TxChecksumOffloadOff off) {
                    txChecksumOffloadOff(sockets[1], off.device(), file);
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

    private static int index(RouteRequests.Answers answers, Map<String, Integer> queries, String device, Path ns) {
        int index = answers.index(queries.get(device));
        if (index == 0) {
            throw new NetlinkException("Device " + device + " is not in " + ns);
        }
        return index;
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
        if (requests.count() == 0) {
            return new RouteRequests.Answers();
        }
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
