package io.netloom.openflow;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.netloom.openflow.action.Action;
import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.match.Match;
import io.netloom.openflow.protocol.BarrierReply;
import io.netloom.openflow.protocol.BarrierRequest;
import io.netloom.openflow.protocol.BundleControl;
import io.netloom.openflow.protocol.EchoReply;
import io.netloom.openflow.protocol.EchoRequest;
import io.netloom.openflow.protocol.ErrorMessage;
import io.netloom.openflow.protocol.FeaturesReply;
import io.netloom.openflow.protocol.FeaturesRequest;
import io.netloom.openflow.protocol.FlowMod;
import io.netloom.openflow.protocol.FlowStats;
import io.netloom.openflow.protocol.FlowStatsReply;
import io.netloom.openflow.protocol.FlowStatsRequest;
import io.netloom.openflow.protocol.Frame;
import io.netloom.openflow.protocol.Hello;
import io.netloom.openflow.protocol.OpenFlowCodec;
import io.netloom.openflow.protocol.OpenFlowMessage;
import io.netloom.openflow.protocol.OpenFlowProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.After;
import org.junit.Test;

/** The channel against a scripted switch on a loopback TCP port: handshake, multipart, errors, liveness, close. */
public class OpenFlowChannelTest {
    private FakeSwitch fake;

    @After
    public void stopFake() throws IOException {
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    public void flowStatsSplitAcrossPartsAreJoined() throws Exception {
        fake = new FakeSwitch((sw, frame) -> {
            if (frame.message() instanceof FlowStatsRequest) {
                return List.of(new FlowStatsReply(FlowStatsReply.REPLY_MORE, List.of(stats(1), stats(2))),
                        new FlowStatsReply(0, List.of(stats(3))));
            }
            return List.of();
        });
        try (OpenFlowChannel ch = fake.connect(OpenFlowChannel.Options.defaults())) {
            assertEquals(0x1234L, ch.datapathId());
            List<FlowStats> all = ch.flowStats(FlowStatsRequest.all()).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L), all.stream().map(FlowStats::cookie).collect(Collectors.toList()));
        }
    }

    @Test
    public void errorWithTheRequestXidFailsThatRequest() throws Exception {
        fake = new FakeSwitch((sw, frame) -> frame.message() instanceof BarrierRequest
                ? List.of(new ErrorMessage(1, 1, 0, OpenFlowCodec.encode(frame.message(), frame.xid())))
                : List.of());
        try (OpenFlowChannel ch = fake.connect(OpenFlowChannel.Options.defaults())) {
            try {
                ch.barrier().get(5, TimeUnit.SECONDS);
                fail("barrier succeeded");
            } catch (ExecutionException e) {
                OpenFlowErrorException error = (OpenFlowErrorException) e.getCause();
                assertEquals("OFPBRC_BAD_TYPE", error.codeName());
                assertEquals(Integer.valueOf(BarrierRequest.TYPE), error.error().failedMessageType().orElseThrow());
            }
            assertTrue(ch.isOpen());
        }
    }

    @Test
    public void pendingRequestsFailOnCloseAndNoThreadRemains() throws Exception {
        fake = new FakeSwitch((sw, frame) -> List.of());
        OpenFlowChannel ch = fake.connect(OpenFlowChannel.Options.defaults());
        CompletableFuture<Void> unanswered = ch.barrier();
        ch.close();
        try {
            unanswered.get(5, TimeUnit.SECONDS);
            fail("barrier completed without a reply");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof OpenFlowConnectionException);
        }
        assertEquals(List.of(), openflowThreads());
    }

    @Test
    public void theSwitchsEchoRequestsAreAnswered() throws Exception {
        fake = new FakeSwitch((sw, frame) -> List.of());
        try (OpenFlowChannel ch = fake.connect(OpenFlowChannel.Options.defaults())) {
            fake.send(new EchoRequest(new byte[] {1, 2, 3}), 0x77);
            Frame reply = fake.expect(EchoReply.class);
            assertEquals(0x77, reply.xid());
            assertEquals(3, ((EchoReply) reply.message()).data().length());
        }
    }

    @Test
    public void silentSwitchIsClosedAsDead() throws Exception {
        fake = new FakeSwitch((sw, frame) -> List.of());
        OpenFlowChannel.Options quick = new OpenFlowChannel.Options(Duration.ofSeconds(5), Duration.ofMillis(100),
                Duration.ofMillis(400));
        OpenFlowChannel ch = fake.connect(quick);
        CompletableFuture<Optional<OpenFlowConnectionException>> closed = new CompletableFuture<>();
        ch.onClose((c, cause) -> closed.complete(cause));
        Optional<OpenFlowConnectionException> cause = closed.get(5, TimeUnit.SECONDS);
        assertTrue(cause.orElseThrow().getMessage().contains("presumed dead"));
        assertFalse(ch.isOpen());
        assertTrue(fake.received.stream().anyMatch(f -> f.message() instanceof EchoRequest));
        ch.close();
        assertEquals(List.of(), openflowThreads());
    }

    @Test
    public void switchClosingTheConnectionFailsPendingRequests() throws Exception {
        fake = new FakeSwitch((sw, frame) -> List.of());
        try (OpenFlowChannel ch = fake.connect(OpenFlowChannel.Options.defaults())) {
            CompletableFuture<Optional<OpenFlowConnectionException>> closed = new CompletableFuture<>();
            ch.onClose((c, cause) -> closed.complete(cause));
            CompletableFuture<Void> barrier = ch.barrier();
            fake.expect(BarrierRequest.class);
            fake.close();
            assertTrue(closed.get(5, TimeUnit.SECONDS).isPresent());
            try {
                barrier.get(5, TimeUnit.SECONDS);
                fail("barrier completed");
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof OpenFlowConnectionException);
            }
        }
    }

    @Test
    public void switchWithoutOpenFlow13IsRefused() throws Exception {
        fake = new FakeSwitch((sw, frame) -> List.of());
        fake.helloBytes = HexFormat.of().parseHex("0100001000000001000100080000000" + "2");
        try {
            fake.connect(OpenFlowChannel.Options.defaults()).close();
            fail("connected to an OpenFlow 1.0 switch");
        } catch (OpenFlowConnectionException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("does not offer OpenFlow 1.3"));
        }
        Frame error = fake.expect(ErrorMessage.class);
        assertEquals(ErrorMessage.HELLO_FAILED, ((ErrorMessage) error.message()).errorType());
        assertEquals(List.of(), openflowThreads());
    }

    @Test
    public void oversizedFlowModIsRefusedBeforeAnythingIsSent() throws Exception {
        fake = new FakeSwitch((sw, frame) -> frame.message() instanceof BarrierRequest
                ? List.of(new BarrierReply()) : List.of());
        List<Action> outputs = new ArrayList<>();
        for (int i = 0; i < 4095; i++) {
            outputs.add(Action.output(i + 1));
        }
        FlowMod huge = FlowMod.add(0).instructions(Instruction.applyActions(outputs)).build();
        try (OpenFlowChannel ch = fake.connect(OpenFlowChannel.Options.defaults())) {
            try {
                ch.atomically(List.of(huge));
                fail("a 65,600-byte bundle add was accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("65535"));
            }
            ch.barrier().get(5, TimeUnit.SECONDS);
            assertFalse(fake.received.stream().anyMatch(f -> f.message() instanceof BundleControl));
        }
    }

    private static FlowStats stats(long cookie) {
        return new FlowStats(0, 1, 0, 10, 0, 0, 0, cookie, 0, 0, Match.ALL, List.of(), new byte[0]);
    }

    private static List<String> openflowThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("openflow-")).collect(Collectors.toList());
    }

    /** A scripted switch: answers HELLO and FEATURES itself, everything else through the handler. */
    private static final class FakeSwitch implements AutoCloseable {
        final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
        final ServerSocketChannel server;
        final BiFunction<FakeSwitch, Frame, List<OpenFlowMessage>> handler;
        final Thread thread;
        volatile byte[] helloBytes = OpenFlowCodec.encode(Hello.openFlow13(), 1);
        volatile SocketChannel conn;
        volatile Exception failure;

        FakeSwitch(BiFunction<FakeSwitch, Frame, List<OpenFlowMessage>> handler) throws IOException {
            this.handler = handler;
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            thread = new Thread(this::serve, "fake-switch");
            thread.setDaemon(true);
            thread.start();
        }

        OpenFlowChannel connect(OpenFlowChannel.Options options) throws OpenFlowConnectionException {
            int port = ((InetSocketAddress) serverAddress()).getPort();
            return OpenFlowChannel.connect("tcp:127.0.0.1:" + port, options);
        }

        private SocketAddress serverAddress() {
            try {
                return server.getLocalAddress();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private void serve() {
            try (SocketChannel c = server.accept()) {
                conn = c;
                c.write(ByteBuffer.wrap(helloBytes));
                ByteBuffer header = ByteBuffer.allocate(8);
                while (true) {
                    header.clear();
                    if (!readFully(c, header)) {
                        return;
                    }
                    int length = Short.toUnsignedInt(header.getShort(2));
                    ByteBuffer msg = ByteBuffer.allocate(length).put(header.flip());
                    if (!readFully(c, msg)) {
                        return;
                    }
                    Frame frame = OpenFlowCodec.decode(msg.array());
                    received.add(frame);
                    List<OpenFlowMessage> replies = new ArrayList<>();
                    if (frame.message() instanceof FeaturesRequest) {
                        replies.add(new FeaturesReply(0x1234, 0, 254, 0, 0));
                    } else if (!(frame.message() instanceof Hello)) {
                        replies.addAll(handler.apply(this, frame));
                    }
                    for (OpenFlowMessage r : replies) {
                        send(r, frame.xid());
                    }
                }
            } catch (IOException | OpenFlowProtocolException e) {
                // The test closed the socket under the fake switch, or the channel sent garbage: stop serving.
                failure = e;
            }
        }

        private static boolean readFully(SocketChannel c, ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                if (c.read(b) < 0) {
                    return false;
                }
            }
            return true;
        }

        synchronized void send(OpenFlowMessage m, int xid) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(OpenFlowCodec.encode(m, xid));
            while (b.hasRemaining()) {
                conn.write(b);
            }
        }

        Frame expect(Class<? extends OpenFlowMessage> type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                Frame f = received.poll(100, TimeUnit.MILLISECONDS);
                if (f != null && type.isInstance(f.message())) {
                    return f;
                }
            }
            throw new AssertionError("the switch received no " + type.getSimpleName());
        }

        @Override
        public void close() throws IOException {
            server.close();
            SocketChannel c = conn;
            if (c != null) {
                c.close();
            }
        }
    }
}
