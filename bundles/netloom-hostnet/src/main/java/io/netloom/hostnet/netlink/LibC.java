package io.netloom.hostnet.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The C library calls that configuring a namespace in process needs. Every call that can fail throws
 * {@link LastErrorException} with the {@code errno} it left.
 */
public interface LibC extends Library {

    /** {@code open} flag: read only. */
    int O_RDONLY = 0;
    /** {@code open} and {@code socket} flag: close on exec, so no child process inherits the descriptor. */
    int O_CLOEXEC = 0x80000;
    /** {@code socket} type flag: close on exec. */
    int SOCK_CLOEXEC = 0x80000;
    /** {@code setns} type: a network namespace. */
    int CLONE_NEWNET = 0x40000000;
    /** Address family of netlink sockets. */
    int AF_NETLINK = 16;
    /** Address family of IPv4 sockets, whose {@code ioctl}s reach a device's ethtool operations. */
    int AF_INET = 2;
    /** Socket type: raw. */
    int SOCK_RAW = 3;
    /** Socket type: datagrams. */
    int SOCK_DGRAM = 2;
    /** Netlink protocol: routing (links, addresses, routes). */
    int NETLINK_ROUTE = 0;
    /** {@code setsockopt} level: the socket. */
    int SOL_SOCKET = 1;
    /** {@code setsockopt} option: receive timeout, a {@code struct timeval}. */
    int SO_RCVTIMEO = 20;
    /** {@code ioctl} request: an ethtool command on the device named by the {@code struct ifreq}. */
    long SIOCETHTOOL = 0x8946;

    /**
     * @param path a file
     * @param flags open flags
     * @return a descriptor
     * @throws LastErrorException when it fails
     */
    int open(String path, int flags) throws LastErrorException;

    /**
     * @param fd a descriptor
     * @return 0
     * @throws LastErrorException when it fails
     */
    int close(int fd) throws LastErrorException;

    /**
     * Moves the calling thread into a namespace.
     *
     * @param fd a descriptor of the namespace
     * @param nstype the kind of namespace
     * @return 0
     * @throws LastErrorException when it fails
     */
    int setns(int fd, int nstype) throws LastErrorException;

    /**
     * @param domain an address family
     * @param type a socket type, with flags
     * @param protocol a protocol
     * @return a descriptor; the socket belongs to the calling thread's network namespace for good
     * @throws LastErrorException when it fails
     */
    int socket(int domain, int type, int protocol) throws LastErrorException;

    /**
     * @param fd a socket
     * @param level an option level
     * @param name an option
     * @param value its value
     * @param length the value's length
     * @return 0
     * @throws LastErrorException when it fails
     */
    int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    /**
     * @param fd a socket
     * @param buffer what to send
     * @param length how many bytes of it
     * @param flags send flags
     * @return how many bytes were sent
     * @throws LastErrorException when it fails
     */
    long send(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    /**
     * @param fd a socket
     * @param buffer where to receive
     * @param length its size
     * @param flags receive flags
     * @return how many bytes were received
     * @throws LastErrorException when it fails, or when the receive timeout passed ({@code EAGAIN})
     */
    long recv(int fd, byte[] buffer, long length, int flags) throws LastErrorException;

    /**
     * @param fd a socket
     * @param request the request
     * @param argument its argument
     * @return 0 or a request-specific value
     * @throws LastErrorException when it fails
     */
    int ioctl(int fd, NativeLong request, Pointer argument) throws LastErrorException;

    /**
     * @param errno an error number
     * @return its description
     */
    String strerror(int errno);
}
