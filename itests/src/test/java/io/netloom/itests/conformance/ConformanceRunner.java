package io.netloom.itests.conformance;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.gson.JsonObject;

import io.netloom.api.model.Protocol;
import io.netloom.itests.conformance.ConformanceScenario.Answer;
import io.netloom.itests.conformance.ConformanceScenario.Exchange;
import io.netloom.itests.conformance.ConformanceScenario.Kind;
import io.netloom.itests.conformance.ConformanceScenario.Rest;
import io.netloom.itests.conformance.ConformanceScenario.Stage;
import io.netloom.itests.conformance.ReachabilityProbe.Outcome;

/**
 * Runs a {@link ConformanceScenario} against one driver: after each stage's writes it waits until the data plane
 * has caught up, then requires three things to agree for every probe: the verdict the scenario expects, the one
 * explain predicts ({@code GET /explain}), and what the {@link ReachabilityProbe} measures (delivered exactly when
 * the verdict is {@code ALLOW}).
 *
 * <p>Realisation and derived state (routes, compiled rules) follow a write asynchronously, and a port that was
 * {@code ACTIVE} before a write says nothing about a rule written a moment ago, so the runner does not trust one
 * reading: it waits, within a bound, for all ports to be {@code ACTIVE}, then for explain to give the expected
 * verdicts, then for the measurement to match. A stage that does not converge in time fails with the whole matrix:
 * each probe's expected verdict, explain's verdict, and the probe's measurement with its reason.
 */
public final class ConformanceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceRunner.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final ConformanceScenario scenario;
    private final ReachabilityProbe probe;
    private final Rest rest;
    private final Duration timeout;

    /**
     * @param scenario the scenario, not yet run
     * @param probe measures the driver under test
     * @param rest sends requests as an administrator
     * @param timeout how long each wait may take
     */
    public ConformanceRunner(ConformanceScenario scenario, ReachabilityProbe probe, Rest rest, Duration timeout) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.rest = Objects.requireNonNull(rest, "rest");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Runs every stage in order and fails at the first that does not conform.
     *
     * @throws Exception when a request cannot be sent or a wait is interrupted
     */
    public void run() throws Exception {
        for (Stage stage : scenario.stages()) {
            stage.setup().run();
            awaitPortsActive(stage);
            if (!stage.matrix().isEmpty()) {
                checkMatrix(stage);
            }
            if (!stage.sequence().isEmpty()) {
                checkSequence(stage);
            }
        }
    }

    /**
     * One packet of a stage: what was expected, predicted and measured.
     *
     * @param label the packet as a person reads it
     * @param probe the flow it belongs to
     * @param expected the scenario's verdict
     * @param explained explain's verdict, empty when explain was not asked or did not answer
     * @param explainDetail why explain did not answer, empty when it did
     * @param measured the probe's measurement, empty before it is measured
     */
    private record Row(String label, Probe probe, Verdict expected, Optional<Verdict> explained, String explainDetail,
            Optional<Outcome> measured) {

        Row measured(Outcome outcome) {
            return new Row(label, probe, expected, explained, explainDetail, Optional.of(outcome));
        }

        boolean explainAgrees() {
            return explained.equals(Optional.of(expected));
        }

        boolean measurementAgrees() {
            return measured.map(m -> m.delivered() == expected.delivered()).orElse(false);
        }

        String line() {
            return String.format(Locale.ROOT, "  %-28s expected %-8s explain %-8s measured %-11s %s", label,
                    expected, explained.map(Verdict::name).orElse(explainDetail.isEmpty() ? "-" : "?"),
                    measured.map(m -> m.delivered() ? "delivered" : "dropped").orElse("-"),
                    measured.map(Outcome::detail).orElse(explainDetail));
        }
    }

    private void awaitPortsActive(Stage stage) throws Exception {
        List<String> statuses = await(() -> {
            List<String> all = new ArrayList<>();
            for (ScenarioPort port : scenario.ports().values()) {
                Answer answer = rest.call("GET", "/ports/" + port.id(), null);
                if (answer.status() != 200) {
                    all.add(port.name() + ": HTTP " + answer.status() + " " + answer.body());
                    continue;
                }
                JsonObject json = answer.json().getAsJsonObject();
                String detail = json.has("statusDetail") ? json.get("statusDetail").getAsString() : "";
                all.add(port.name() + ": " + json.get("status").getAsString() + (detail.isEmpty() ? "" : " (" + detail
                        + ")"));
            }
            return all;
        }, all -> all.stream().allMatch(s -> s.matches("[^:]+: ACTIVE( .*)?")));
        if (!statuses.stream().allMatch(s -> s.matches("[^:]+: ACTIVE( .*)?"))) {
            fail("Stage " + stage.name() + " (" + stage.description() + "): ports not realised within " + timeout
                    + ":\n  " + String.join("\n  ", statuses));
        }
    }

    private void checkMatrix(Stage stage) throws Exception {
        List<Row> explained = await(() -> explainAll(stage.matrix()),
                rows -> rows.stream().allMatch(Row::explainAgrees));
        List<Row> measured = await(() -> measureAll(explained),
                rows -> rows.stream().allMatch(Row::measurementAgrees));
        String table = table(stage, measured);
        for (Row row : measured) {
            assertEquals("explain disagrees with the scenario: " + row.label() + "\n" + table,
                    Optional.of(row.expected()), row.explained());
            assertEquals("the measurement disagrees with explain: " + row.label() + "\n" + table,
                    row.explained().map(Verdict::delivered), row.measured().map(Outcome::delivered));
            assertEquals("the measurement disagrees with the scenario: " + row.label() + "\n" + table,
                    Optional.of(row.expected().delivered()), row.measured().map(Outcome::delivered));
        }
        log(stage, measured);
    }

    private List<Row> explainAll(Map<Probe, Verdict> matrix) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Probe, Verdict> e : matrix.entrySet()) {
            rows.add(explain(e.getKey().label(), e.getKey(), e.getValue()));
        }
        return rows;
    }

    private Row explain(String label, Probe p, Verdict expected) throws Exception {
        String query = "/explain?from=" + scenario.port(p.from()).id() + "&to=" + scenario.port(p.to()).id()
                + "&protocol=" + p.protocol().name().toLowerCase(Locale.ROOT)
                + (p.protocol() == Protocol.ICMP ? "" : "&port=" + p.port());
        Answer answer = rest.call("GET", query, null);
        if (answer.status() != 200) {
            // Explain answers 409 while a policy bundle is away and 404 until the firewall knows a new port.
            return new Row(label, p, expected, Optional.empty(), "explain: HTTP " + answer.status() + " "
                    + answer.body(), Optional.empty());
        }
        Verdict verdict = Verdict.valueOf(answer.json().getAsJsonObject().get("verdict").getAsString());
        return new Row(label, p, expected, Optional.of(verdict), "", Optional.empty());
    }

    /** Each probe of a matrix is a new flow: the flows of the probes before it must not turn it into a reply. */
    private List<Row> measureAll(List<Row> explained) {
        List<Row> rows = new ArrayList<>();
        for (Row row : explained) {
            Probe p = row.probe();
            probe.forgetFlows();
            rows.add(row.measured(probe.newFlow(scenario.port(p.from()), scenario.port(p.to()), p.protocol(),
                    p.port())));
        }
        return rows;
    }

    private void checkSequence(Stage stage) throws Exception {
        List<Row> explained = await(() -> {
            List<Row> rows = new ArrayList<>();
            for (Exchange x : stage.sequence()) {
                if (x.kind() == Kind.NEW_FLOW) {
                    rows.add(explain(x.label(), x.probe(), x.expected()));
                }
            }
            return rows;
        }, rows -> rows.stream().allMatch(Row::explainAgrees));
        Map<String, Optional<Verdict>> predictions = new HashMap<>();
        for (Row row : explained) {
            assertEquals("explain disagrees with the scenario: " + row.label() + " in stage " + stage.name(),
                    Optional.of(row.expected()), row.explained());
            predictions.put(row.label(), row.explained());
        }
        // The exchange depends on its order, so it is measured whole each time, from no remembered flow.
        List<Row> measured = await(() -> {
            probe.forgetFlows();
            List<Row> rows = new ArrayList<>();
            for (Exchange x : stage.sequence()) {
                ScenarioPort from = scenario.port(x.probe().from());
                ScenarioPort to = scenario.port(x.probe().to());
                Outcome outcome = x.kind() == Kind.NEW_FLOW
                        ? probe.newFlow(from, to, x.probe().protocol(), x.probe().port())
                        : probe.reply(from, to, x.probe().protocol(), x.probe().port());
                // Explain knows nothing of replies; a new flow shows its prediction, checked above.
                rows.add(new Row(x.label(), x.probe(), x.expected(), predictions.getOrDefault(x.label(),
                        Optional.empty()), "", Optional.of(outcome)));
            }
            return rows;
        }, rows -> rows.stream().allMatch(Row::measurementAgrees));
        String table = table(stage, measured);
        for (Row row : measured) {
            assertEquals("the measurement disagrees with the scenario: " + row.label() + "\n" + table,
                    Optional.of(row.expected().delivered()), row.measured().map(Outcome::delivered));
        }
        log(stage, measured);
    }

    /** One line per packet: Karaf's log layout is made for lines, not tables. */
    private static void log(Stage stage, List<Row> rows) {
        LOG.info("Conformance stage {} ({}): {} packet(s) as expected", stage.name(), stage.description(),
                rows.size());
        rows.forEach(r -> LOG.info("Conformance stage {}:{}", stage.name(), r.line()));
    }

    private static String table(Stage stage, List<Row> rows) {
        StringBuilder text = new StringBuilder("stage ").append(stage.name()).append(" (")
                .append(stage.description()).append("):");
        rows.forEach(r -> text.append('\n').append(r.line()));
        return text.toString();
    }

    /**
     * Reads until the reading is good or the time is up.
     *
     * @return the last reading, good or not: the caller asserts on it, so a failure shows what was last seen
     */
    private <T> T await(Callable<T> read, Predicate<T> good) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T reading = read.call();
        while (!good.test(reading) && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            reading = read.call();
        }
        return reading;
    }
}
