package io.netloom.itests.conformance;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * Runs a {@link ConformanceScenario} against one driver: each write of a stage waits until it is realised
 * ({@code ?wait}), so right after a stage's writes have answered the runner requires, from ONE reading with no
 * retry, all ports to be {@code ACTIVE} and three things to agree for every probe: the verdict the scenario expects,
 * the one explain predicts ({@code GET /explain}), and what the {@link ReachabilityProbe} measures (delivered exactly
 * when the verdict is {@code ALLOW}) with the first packets sent. That is Netloom's promise: when a write has
 * answered, packets obey it. A stage that does not conform fails with the whole matrix: each probe's expected
 * verdict, explain's verdict, and the probe's measurement with its reason.
 */
public final class ConformanceRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ConformanceRunner.class);

    private final ConformanceScenario scenario;
    private final ReachabilityProbe probe;
    private final Rest rest;

    /**
     * @param scenario the scenario, not yet run
     * @param probe measures the driver under test
     * @param rest sends requests as an administrator
     */
    public ConformanceRunner(ConformanceScenario scenario, ReachabilityProbe probe, Rest rest) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.rest = Objects.requireNonNull(rest, "rest");
    }

    /**
     * Runs every stage in order and fails at the first that does not conform.
     *
     * @throws Exception when a request cannot be sent or a wait is interrupted
     */
    public void run() throws Exception {
        for (Stage stage : scenario.stages()) {
            stage.setup().run();
            checkPortsActive(stage);
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

        String line() {
            return String.format(Locale.ROOT, "  %-28s expected %-8s explain %-8s measured %-11s %s", label,
                    expected, explained.map(Verdict::name).orElse(explainDetail.isEmpty() ? "-" : "?"),
                    measured.map(m -> m.delivered() ? "delivered" : "dropped").orElse("-"),
                    measured.map(Outcome::detail).orElse(explainDetail));
        }
    }

    private void checkPortsActive(Stage stage) throws Exception {
        List<String> statuses = new ArrayList<>();
        for (ScenarioPort port : scenario.ports().values()) {
            Answer answer = rest.call("GET", "/ports/" + port.id(), null);
            if (answer.status() != 200) {
                statuses.add(port.name() + ": HTTP " + answer.status() + " " + answer.body());
                continue;
            }
            JsonObject json = answer.json().getAsJsonObject();
            String detail = json.has("statusDetail") ? json.get("statusDetail").getAsString() : "";
            statuses.add(port.name() + ": " + json.get("status").getAsString() + (detail.isEmpty() ? "" : " ("
                    + detail + ")"));
        }
        if (!statuses.stream().allMatch(s -> s.matches("[^:]+: ACTIVE( .*)?"))) {
            fail("Stage " + stage.name() + " (" + stage.description() + "): ports not realised when the writes "
                    + "answered:\n  " + String.join("\n  ", statuses));
        }
    }

    private void checkMatrix(Stage stage) throws Exception {
        List<Row> explained = explainAll(stage.matrix());
        List<Row> measured = measureAll(explained);
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
        List<Row> explained = new ArrayList<>();
        for (Exchange x : stage.sequence()) {
            if (x.kind() == Kind.NEW_FLOW) {
                explained.add(explain(x.label(), x.probe(), x.expected()));
            }
        }
        Map<String, Optional<Verdict>> predictions = new HashMap<>();
        for (Row row : explained) {
            assertEquals("explain disagrees with the scenario: " + row.label() + " in stage " + stage.name(),
                    Optional.of(row.expected()), row.explained());
            predictions.put(row.label(), row.explained());
        }
        // The exchange depends on its order, so it is measured whole, from no remembered flow.
        List<Row> measured = new ArrayList<>();
        probe.forgetFlows();
        for (Exchange x : stage.sequence()) {
            ScenarioPort from = scenario.port(x.probe().from());
            ScenarioPort to = scenario.port(x.probe().to());
            Outcome outcome = x.kind() == Kind.NEW_FLOW
                    ? probe.newFlow(from, to, x.probe().protocol(), x.probe().port())
                    : probe.reply(from, to, x.probe().protocol(), x.probe().port());
            // Explain knows nothing of replies; a new flow shows its prediction, checked above.
            measured.add(new Row(x.label(), x.probe(), x.expected(), predictions.getOrDefault(x.label(),
                    Optional.empty()), "", Optional.of(outcome)));
        }
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
}
