package io.netloom.itests.conformance;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny traffic agent that {@link NetnsReachabilityProbe} starts inside each network namespace it made
 * ({@code ip netns exec NS java -cp ... NetnsAgent}), so that every socket it opens lives in that namespace. It reads
 * one command per line on standard input and answers one line, {@code ok ...} or {@code fail REASON}, on standard
 * output. It uses nothing but the JDK, so it runs from the test classes directory alone.
 *
 * <p>Why a Java agent rather than {@code nc}: the probe must keep a TCP connection open and later make the server
 * side write on it (the reply of an established flow), bind exact source ports (so that no flow's tuple is ever
 * reused), and learn that a UDP datagram arrived; with one long-lived agent per namespace all of that is a command
 * away, without a process per packet or parsing netcat's varying output.
 *
 * <p>Commands: {@code tcp-listen PORT}; {@code tcp-connect ID ADDR PORT SRCPORT TIMEOUT_MS}; {@code tcp-send-back
 * REMOTE_ADDR REMOTE_PORT TIMEOUT_MS} (the server side writes one byte on the connection accepted from there);
 * {@code tcp-read ID TIMEOUT_MS}; {@code udp-listen PORT}; {@code udp-send ID ADDR PORT SRCPORT TOKEN};
 * {@code udp-await TOKEN TIMEOUT_MS}; {@code udp-send-back LISTEN_PORT ADDR PORT TOKEN}; {@code udp-read ID
 * TIMEOUT_MS}; {@code close-flows} (closes every connection and client socket, keeps listeners); {@code quit}.
 */
public final class NetnsAgent {

    private final Map<Integer, ServerSocket> tcpListeners = new ConcurrentHashMap<>();
    private final Map<String, Socket> accepted = new ConcurrentHashMap<>();
    private final Map<String, Socket> tcpClients = new ConcurrentHashMap<>();
    private final Map<Integer, DatagramSocket> udpListeners = new ConcurrentHashMap<>();
    private final Map<String, String> udpReceived = new ConcurrentHashMap<>();
    private final Map<String, DatagramSocket> udpClients = new ConcurrentHashMap<>();

    private NetnsAgent() {
    }

    /**
     * @param args none
     * @throws IOException when standard input fails
     */
    public static void main(String[] args) throws IOException {
        NetnsAgent agent = new NetnsAgent();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ok ready");
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.strip().split(" ");
            if (words[0].equals("quit")) {
                break;
            }
            String answer;
            try {
                answer = agent.handle(words);
            } catch (IOException | RuntimeException e) {
                answer = "fail " + e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage())
                        .replace('\n', ' ');
            }
            out.println(answer);
        }
        System.exit(0);
    }

    private String handle(String[] w) throws IOException {
        switch (w[0]) {
            case "tcp-listen":
                return tcpListen(Integer.parseInt(w[1]));
            case "tcp-connect":
                return tcpConnect(w[1], w[2], Integer.parseInt(w[3]), Integer.parseInt(w[4]), Integer.parseInt(w[5]));
            case "tcp-send-back":
                return tcpSendBack(w[1] + ":" + w[2], Integer.parseInt(w[3]));
            case "tcp-read":
                return tcpRead(w[1], Integer.parseInt(w[2]));
            case "udp-listen":
                return udpListen(Integer.parseInt(w[1]));
            case "udp-send":
                return udpSend(w[1], w[2], Integer.parseInt(w[3]), Integer.parseInt(w[4]), w[5]);
            case "udp-await":
                return udpAwait(w[1], Integer.parseInt(w[2]));
            case "udp-send-back":
                return udpSendBack(Integer.parseInt(w[1]), w[2], Integer.parseInt(w[3]), w[4]);
            case "udp-read":
                return udpRead(w[1], Integer.parseInt(w[2]));
            case "close-flows":
                return closeFlows();
            default:
                return "fail unknown command " + Arrays.toString(w);
        }
    }

    private String tcpListen(int port) throws IOException {
        if (tcpListeners.containsKey(port)) {
            return "ok";
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port));
        tcpListeners.put(port, server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.put(s.getInetAddress().getHostAddress() + ":" + s.getPort(), s);
                } catch (IOException e) {
                    return;
                }
            }
        }, "accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return "ok";
    }

    private String tcpConnect(String id, String address, int port, int sourcePort, int timeoutMillis)
            throws IOException {
        Socket s = new Socket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(sourcePort));
            s.connect(new InetSocketAddress(InetAddress.getByName(address), port), timeoutMillis);
        } catch (IOException e) {
            s.close();
            return "fail " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        tcpClients.put(id, s);
        return "ok";
    }

    private String tcpSendBack(String remote, int timeoutMillis) throws IOException {
        // The acceptor thread may not have registered the connection yet.
        Socket s = await(accepted, remote, timeoutMillis);
        if (s == null) {
            return "fail no connection accepted from " + remote;
        }
        OutputStream out = s.getOutputStream();
        out.write('r');
        out.flush();
        return "ok";
    }

    private String tcpRead(String id, int timeoutMillis) throws IOException {
        Socket s = tcpClients.get(id);
        if (s == null) {
            return "fail no client " + id;
        }
        s.setSoTimeout(timeoutMillis);
        try {
            InputStream in = s.getInputStream();
            return in.read() >= 0 ? "ok" : "fail closed by the peer";
        } catch (SocketTimeoutException e) {
            return "fail nothing arrived within " + timeoutMillis + " ms";
        }
    }

    private String udpListen(int port) throws IOException {
        if (udpListeners.containsKey(port)) {
            return "ok";
        }
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(port));
        udpListeners.put(port, socket);
        Thread receiver = new Thread(() -> {
            byte[] buffer = new byte[512];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    udpReceived.put(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8),
                            p.getAddress().getHostAddress() + ":" + p.getPort());
                } catch (IOException e) {
                    return;
                }
            }
        }, "udp-" + port);
        receiver.setDaemon(true);
        receiver.start();
        return "ok";
    }

    private String udpSend(String id, String address, int port, int sourcePort, String token) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(sourcePort));
        udpClients.put(id, socket);
        byte[] data = token.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, InetAddress.getByName(address), port));
        return "ok";
    }

    private String udpAwait(String token, int timeoutMillis) {
        String from = await(udpReceived, token, timeoutMillis);
        return from == null ? "fail no datagram " + token + " within " + timeoutMillis + " ms" : "ok " + from;
    }

    private String udpSendBack(int listenPort, String address, int port, String token) throws IOException {
        DatagramSocket socket = udpListeners.get(listenPort);
        if (socket == null) {
            return "fail not listening on udp " + listenPort;
        }
        byte[] data = token.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, InetAddress.getByName(address), port));
        return "ok";
    }

    private String udpRead(String id, int timeoutMillis) throws IOException {
        DatagramSocket socket = udpClients.get(id);
        if (socket == null) {
            return "fail no client " + id;
        }
        socket.setSoTimeout(timeoutMillis);
        byte[] buffer = new byte[512];
        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(p);
            return "ok " + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return "fail nothing arrived within " + timeoutMillis + " ms";
        }
    }

    private String closeFlows() {
        for (Map<String, ? extends Closeable> sockets : List.of(accepted, tcpClients, udpClients)) {
            for (Closeable c : sockets.values()) {
                try {
                    c.close();
                } catch (IOException e) {
                    // Closing a socket the peer reset already; nothing to keep.
                }
            }
            sockets.clear();
        }
        udpReceived.clear();
        return "ok";
    }

    /** Polls a map filled by a receiving thread until the key shows up or the time is up; {@code null} then. */
    private static <T> T await(Map<String, T> map, String key, int timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        T value = map.get(key);
        while (value == null && System.nanoTime() < deadline) {
            sleep(10);
            value = map.get(key);
        }
        return value;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
