package io.netloom.hostnet.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netloom.hostnet.HostCommand;
import io.netloom.hostnet.Iproute2;

/**
 * A long-lived TCP connection between two network namespaces, for tests of what a data plane lets through after a
 * change: a listener ({@code nc -l}, netcat-openbsd) in one namespace writing what it receives to a file, and a
 * client ({@code nc}) in another, to which a thread writes a numbered line every 100 ms. {@link #sent()} is the
 * number of the next line, {@link #received()} the numbers the listener got, so a test can check that no line
 * written after a moment arrived. {@link #close()} stops both processes (by their handles, never by name) and
 * deletes the file.
 *
 * <p>In a package of its own, so that the integration tests can carry it in their probe without splitting
 * {@code io.netloom.hostnet}.
 */
public final class TcpSession implements AutoCloseable {

    private static final long PERIOD_MILLIS = 100;

    private final Path received;
    private final Process listener;
    private final Process client;
    private final Thread writer;
    private final AtomicInteger next = new AtomicInteger();

    private TcpSession(Path received, Process listener, Process client) {
        this.received = received;
        this.listener = listener;
        this.client = client;
        this.writer = new Thread(this::write, "tcp-session-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Starts the listener, waits until it listens, connects the client and starts writing.
     *
     * @param serverNamespace where the listener runs
     * @param address the listener's address
     * @param port its port
     * @param clientNamespace where the client runs
     * @return the running session
     * @throws IOException when a process cannot be started or the listener does not listen within 5 s
     * @throws InterruptedException when interrupted while waiting for it
     */
    public static TcpSession start(String serverNamespace, String address, int port, String clientNamespace)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile("tcp-session-" + port + "-", ".txt");
        Process listener = new ProcessBuilder(located(Iproute2.inNamespace(serverNamespace, nc(), "-l", address,
                Integer.toString(port)))).redirectOutput(file.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            HostCommand host = new HostCommand();
            long deadline = System.currentTimeMillis() + 5000;
            while (!host.run(Iproute2.inNamespace(serverNamespace, "ss", "-Hltn", "sport", "=", ":" + port))
                    .stdout().contains(":" + port)) {
                if (System.currentTimeMillis() > deadline || !listener.isAlive()) {
                    throw new IOException("nc did not listen on " + address + ":" + port + " in " + serverNamespace);
                }
                Thread.sleep(50);
            }
            Process client = new ProcessBuilder(located(Iproute2.inNamespace(clientNamespace, nc(), address,
                    Integer.toString(port)))).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            TcpSession session = new TcpSession(file, listener, client);
            session.writer.start();
            return session;
        } catch (IOException | InterruptedException | RuntimeException e) {
            listener.destroyForcibly();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** {@code nc} by its path: {@code ip netns exec} looks programs up on a PATH that may lack it. */
    private static String nc() throws IOException {
        return HostCommand.locate("nc").orElseThrow(() -> new IOException("nc is not installed (netcat-openbsd)"))
                .toString();
    }

    /** The command with its program by its path, as {@link HostCommand} runs it. */
    private static List<String> located(List<String> command) throws IOException {
        List<String> argv = new java.util.ArrayList<>(command);
        argv.set(0, HostCommand.locate(command.get(0)).orElseThrow(() -> new IOException(command.get(0)
                + " is not installed")).toString());
        return argv;
    }

    private void write() {
        OutputStream out = client.getOutputStream();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                // The number is taken when the line is handed to the client, not before.
                synchronized (next) {
                    out.write((next.get() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    next.incrementAndGet();
                }
                Thread.sleep(PERIOD_MILLIS);
            }
        } catch (IOException | InterruptedException e) {
            // The client ended or the session is closed: nothing more is written.
        }
    }

    /**
     * @return the number the next line will carry: every line with a lower number has been handed to the client
     */
    public int sent() {
        synchronized (next) {
            return next.get();
        }
    }

    /**
     * @return the numbers of the lines the listener has received so far
     * @throws IOException when its file cannot be read
     */
    public Set<Integer> received() throws IOException {
        Set<Integer> numbers = new TreeSet<>();
        for (String line : Files.readAllLines(received, StandardCharsets.US_ASCII)) {
            if (!line.isBlank()) {
                numbers.add(Integer.parseInt(line.trim()));
            }
        }
        return numbers;
    }

    /**
     * Waits until the listener has received the line of the given number.
     *
     * @param number a line's number
     * @param millis how long to wait at most
     * @return whether it arrived in time
     * @throws IOException when the file cannot be read
     * @throws InterruptedException when interrupted
     */
    public boolean awaitReceived(int number, long millis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!received().contains(number)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Has the listener send a line to the client: the far end of the connection speaks, as a server's delayed
     * acknowledgement or reply would after its connection was cut.
     *
     * @throws IOException when the listener has ended
     */
    public void listenerSpeaks() throws IOException {
        OutputStream out = listener.getOutputStream();
        out.write("from the listener\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /**
     * Makes a change that must cut one session and keep another, and checks it: once the change returns, the kept
     * session must deliver ten more lines within {@code watchMillis}, and, after that time, no line the cut session
     * was handed after the change returned may have arrived (no retry hides a late cut), though it went on writing.
     * Meanwhile the cut session's listener speaks twice ({@link #listenerSpeaks()}), which must not revive it.
     *
     * @param cut the session the change must cut
     * @param kept the session that must go on
     * @param change the change, such as a driver's apply of a plan
     * @param watchMillis how long to watch both sessions after the change
     * @throws Exception when the files cannot be read or the wait is interrupted
     */
    public static void assertCutKeeping(TcpSession cut, TcpSession kept, Runnable change, long watchMillis)
            throws Exception {
        change.run();
        int cutAt = cut.sent();
        int keptAt = kept.sent();
        long start = System.currentTimeMillis();
        cut.listenerSpeaks();
        Thread.sleep(300);
        cut.listenerSpeaks();
        assertTrue("the permitted session goes on", kept.awaitReceived(keptAt + 10, watchMillis));
        Thread.sleep(Math.max(0, watchMillis - (System.currentTimeMillis() - start)));
        Set<Integer> late = new TreeSet<>(cut.received());
        late.removeIf(n -> n < cutAt);
        assertTrue("the refused session went on writing", cut.sent() > cutAt + 10);
        assertEquals("lines handed over after the change that arrived anyway", Set.of(), late);
    }

    @Override
    public void close() throws IOException {
        writer.interrupt();
        for (Process p : List.of(client, listener)) {
            p.destroyForcibly();
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(received);
    }
}
