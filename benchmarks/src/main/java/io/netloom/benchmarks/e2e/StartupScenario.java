package io.netloom.benchmarks.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 5: a freshly unpacked distribution, from {@code bin/start} to ready, as the first start a user sees
 * (features are provisioned on that start). Netloom is ready at its first authenticated 200 on
 * {@code /netloom/api/v1/drivers}. The vanilla Apache Karaf of the same version gets {@code http} as an extra boot
 * feature (the same Pax Web and Jetty, resolved offline from the local Maven repository; the stock tarball does not
 * carry them) and is ready at the first HTTP answer of its Jetty (a 404: nothing is registered on it). Both JVMs get
 * the same heap settings. A second row compares the first HTTP answer of any status on both.
 */
final class StartupScenario implements Harness.Scenario {

    @Override
    public String name() {
        return "5: start → ready (Netloom vs vanilla Karaf with http)";
    }

    @Override
    public boolean selected(Options options) {
        return options.scenarios().contains(5);
    }

    @Override
    public void run(Harness.Context ctx) {
        List<Double> netloomReady = new ArrayList<>();
        List<Double> netloomHttp = new ArrayList<>();
        List<Double> vanillaHttp = new ArrayList<>();
        for (int run = 1; run <= ctx.options().runs(); run++) {
            try (NetloomInstance nl = NetloomInstance.start(ctx.netloomDistribution(), ctx.sandbox(), null)) {
                netloomReady.add(BulkPortsScenario.ms(nl.started().ready()));
                netloomHttp.add(BulkPortsScenario.ms(nl.started().firstHttpAnswer()));
            }
            Karaf vanilla = Karaf.unpack(ctx.vanillaDistribution(), ctx.sandbox().newDir("karaf-"));
            try {
                vanilla.addBootFeature("http");
                vanilla.setProperty("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        ctx.options().m2().toString());
                vanilla.setProperty("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true");
                vanilla.setProperty("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", "");
                vanillaHttp.add(BulkPortsScenario.ms(vanilla.start("/", null, 0).firstHttpAnswer()));
            } finally {
                vanilla.discard();
            }
            ctx.log("run " + run + " Netloom REST ready " + netloomReady.get(run - 1) + " ms (HTTP "
                    + netloomHttp.get(run - 1) + " ms), vanilla Karaf HTTP " + vanillaHttp.get(run - 1) + " ms");
        }
        ctx.report().add(new Report.Row("5a", "fresh distribution: bin/start → ready", "ms",
                "Netloom: 200 on /drivers as admin", netloomReady, "vanilla Karaf 4.4.10 + http: first HTTP answer",
                vanillaHttp, "Netloom also provisions its own features and creates its admin user"));
        ctx.report().add(new Report.Row("5b", "fresh distribution: bin/start → first HTTP answer (any status)",
                "ms", "Netloom", netloomHttp, "vanilla Karaf 4.4.10 + http", vanillaHttp, ""));
    }
}
