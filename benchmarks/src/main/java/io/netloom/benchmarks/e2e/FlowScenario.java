package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netloom.openflow.OpenFlowChannel;
import io.netloom.openflow.OpenFlowConnectionException;
import io.netloom.openflow.match.Match;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.protocol.FlowMod;

/**
 * Scenario 3: {@code N} flows installed on one bridge of a userspace OVS, in one atomic OpenFlow bundle: through
 * Netloom's own OpenFlow 1.3 channel against {@code ovs-ofctl -O OpenFlow13 --bundle add-flows} reading the same
 * flows from a file, on the same switch in the same run. Each side is timed from nothing (no connection, flows
 * as data: ovs-ofctl starts, connects and parses its file; Netloom's side connects {@link OpenFlowChannel} and
 * builds its {@link FlowMod}s) until the switch has confirmed the bundle; the count of flows with the benchmark's
 * cookie is then checked and the flows deleted. The side that goes first alternates from run to run. The Netloom
 * side calls the OpenFlow library directly (the same call the OVS driver makes for a plan), because the driver has
 * no entry point that takes raw flows.
 *
 * <p>The flows are distinct matches of table 0: {@code tcp, nw_dst=10.200.x.y, tp_dst=P, actions=drop}.
 */
final class FlowScenario implements Harness.Scenario {

    static final long COOKIE = 0x4e4c0003L;
    private static final String BRIDGE = "br-flows";

    /** One benchmark flow. */
    record Flow(String ip, int tcpPort) {
    }

    @Override
    public String name() {
        return "3: flows in one bundle (Netloom OpenFlow channel vs ovs-ofctl --bundle)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(3);
    }

    /** @return the {@code n} flows, the same for both sides */
    static List<Flow> flows(int n) {
        List<Flow> flows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            flows.add(new Flow("10.200." + ((i >> 8) & 0xff) + "." + (i & 0xff), 1000 + (i >> 16)));
        }
        return flows;
    }

    @Override
    public void run(Harness.Context ctx) {
        int n = ctx.options().flows();
        Path file = ctx.sandbox().newDir("flows-").resolve("flows.txt");
        StringBuilder text = new StringBuilder(n * 80);
        for (Flow f : flows(n)) {
            text.append("table=0,priority=100,cookie=0x").append(Long.toHexString(COOKIE)).append(",tcp,nw_dst=")
                    .append(f.ip()).append(",tp_dst=").append(f.tcpPort()).append(",actions=drop\n");
        }
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Double> ofctl = new ArrayList<>();
        List<Double> channel = new ArrayList<>();
        List<Flow> flows = flows(n);
        for (int run = 1; run <= ctx.options().runs(); run++) {
            try (Ovs ovs = Ovs.start(ctx.sandbox().newDir("ovs-"))) {
                ovs.addBridge(BRIDGE);
                for (int side = 0; side < 2; side++) {
                    boolean netloomNow = (run + side) % 2 == 1;
                    long t0 = System.nanoTime();
                    if (netloomNow) {
                        install(ovs.openflowEndpoint(BRIDGE), flows);
                    } else {
                        ovs.ofctl(List.of("--bundle"), "add-flows", BRIDGE, List.of(file.toString()));
                    }
                    double elapsed = (System.nanoTime() - t0) / 1e6;
                    long count = ovs.flowCount(BRIDGE, COOKIE);
                    if (count != n) {
                        throw new IllegalStateException((netloomNow ? "OpenFlowChannel" : "ovs-ofctl")
                                + " installed " + count + " flows, not " + n);
                    }
                    ovs.ofctl(List.of(), "del-flows", BRIDGE, List.of("cookie=0x" + Long.toHexString(COOKIE) + "/-1"));
                    (netloomNow ? channel : ofctl).add(elapsed);
                    ctx.log("run " + run + (netloomNow ? " OpenFlowChannel.atomically " : " ovs-ofctl --bundle ") + n
                            + " flows: " + elapsed + " ms");
                }
            }
        }
        ctx.report().add(new Report.Row("3", n + " flows in one OpenFlow 1.3 bundle on one bridge", "ms",
                "Netloom OpenFlowChannel.atomically", channel, "ovs-ofctl --bundle add-flows FILE", ofctl, ""));
    }

    /** Connects, builds the flow mods and applies them in one atomic bundle; returns when the switch confirmed. */
    private static void install(String endpoint, List<Flow> flows) {
        try (OpenFlowChannel channel = OpenFlowChannel.connect(endpoint)) {
            List<FlowMod> mods = new ArrayList<>(flows.size());
            for (Flow f : flows) {
                mods.add(FlowMod.add(0).cookie(COOKIE).priority(100)
                        .match(Match.builder().ethType(0x0800).ipProto(6).set(OxmField.IPV4_DST, f.ip())
                                .set(OxmField.TCP_DST, f.tcpPort()).build())
                        .instructions(List.of()).build());
            }
            channel.atomically(mods).get(10, TimeUnit.MINUTES);
        } catch (OpenFlowConnectionException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("OpenFlowChannel could not install the flows: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
