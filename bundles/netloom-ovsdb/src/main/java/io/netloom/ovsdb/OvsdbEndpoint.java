package io.netloom.ovsdb;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where an OVSDB server listens, in the syntax of ovsdb-server's active remotes: {@code unix:/path/db.sock} or
 * {@code tcp:HOST:PORT} (an IPv6 address in brackets: {@code tcp:[::1]:6640}). SSL remotes are not supported.
 */
public sealed interface OvsdbEndpoint permits OvsdbEndpoint.Unix, OvsdbEndpoint.Tcp {

    /**
     * Parses an endpoint.
     *
     * @param text {@code unix:PATH} or {@code tcp:HOST:PORT}
     * @return the endpoint
     * @throws IllegalArgumentException when the text has neither form, the path is empty or the port is not 1-65535
     */
    static OvsdbEndpoint parse(String text) {
        Objects.requireNonNull(text, "endpoint");
        if (text.startsWith("unix:")) {
            String path = text.substring("unix:".length());
            if (path.isEmpty()) {
                throw new IllegalArgumentException("OVSDB endpoint '" + text + "' has an empty socket path");
            }
            return new Unix(Path.of(path));
        }
        if (text.startsWith("tcp:")) {
            return parseTcp(text, text.substring("tcp:".length()));
        }
        throw new IllegalArgumentException("OVSDB endpoint '" + text
                + "' is not supported: expected unix:/path/db.sock or tcp:HOST:PORT");
    }

    private static OvsdbEndpoint parseTcp(String text, String rest) {
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("OVSDB endpoint '" + text + "' is not tcp:[IPV6]:PORT");
            }
            host = rest.substring(1, close);
            port = rest.substring(close + 2);
        } else {
            int colon = rest.indexOf(':');
            if (colon < 0 || rest.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("OVSDB endpoint '" + text + "' is not tcp:HOST:PORT");
            }
            host = rest.substring(0, colon);
            port = rest.substring(colon + 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("OVSDB endpoint '" + text + "' has a non-numeric port '" + port + "'");
        }
        return new Tcp(host, number);
    }

    /**
     * Creates a Unix domain socket endpoint.
     *
     * @param path the socket file, as given to ovsdb-server's {@code --remote=punix:PATH}
     * @return the endpoint
     */
    static OvsdbEndpoint unix(Path path) {
        return new Unix(path);
    }

    /**
     * Creates a TCP endpoint.
     *
     * @param host a host name or IP address
     * @param port the port, 1-65535
     * @return the endpoint
     * @throws IllegalArgumentException when the host is empty or the port out of range
     */
    static OvsdbEndpoint tcp(String host, int port) {
        return new Tcp(host, port);
    }

    /**
     * Returns the address to connect a {@link java.nio.channels.SocketChannel} to. A TCP host name is resolved on
     * every call, so a reconnect follows DNS changes.
     *
     * @return a {@link UnixDomainSocketAddress} or an {@link InetSocketAddress} (unresolved when the lookup failed)
     */
    SocketAddress socketAddress();

    /**
     * A Unix domain socket.
     *
     * @param path the socket file
     */
    record Unix(Path path) implements OvsdbEndpoint {
        /**
         * Validates the path.
         *
         * @param path the socket file, not empty
         */
        public Unix {
            Objects.requireNonNull(path, "path");
            if (path.toString().isEmpty()) {
                throw new IllegalArgumentException("OVSDB unix endpoint needs a socket path");
            }
        }

        @Override
        public SocketAddress socketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * A TCP address.
     *
     * @param host a host name or IP address (IPv6 without brackets)
     * @param port the port, 1-65535
     */
    record Tcp(String host, int port) implements OvsdbEndpoint {
        /**
         * Validates host and port.
         *
         * @param host not empty
         * @param port 1-65535
         */
        public Tcp {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty()) {
                throw new IllegalArgumentException("OVSDB tcp endpoint needs a host");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("OVSDB tcp endpoint port " + port + " is not in 1-65535");
            }
        }

        @Override
        public SocketAddress socketAddress() {
            return new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return "tcp:" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
