package io.netloom.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;

import io.netloom.api.agent.AgentReport;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.codec.ConfigCodec;
import io.netloom.api.codec.JsonCodec;

/**
 * The controller's REST API as the agent uses it, with the node's own credential ({@code Authorization: Bearer}):
 * {@code GET /nodes/{id}/config?after=&wait=} (long poll) and {@code POST /nodes/{id}/heartbeat}.
 */
final class HttpControllerClient implements ControllerClient {

    /** How much longer than the poll's wait the agent waits for the answer before it gives up on the controller. */
    static final Duration ANSWER_MARGIN = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI node;
    private final String secret;

    /**
     * @param api the REST base URL, such as {@code http://10.200.250.1:8181/netloom/api/v1}
     * @param nodeId this node's id
     * @param secret its credential
     */
    HttpControllerClient(URI api, String nodeId, String secret) {
        String base = api.toString().endsWith("/") ? api.toString() : api + "/";
        this.node = URI.create(base + "nodes/" + URLEncoder.encode(nodeId, StandardCharsets.UTF_8) + "/");
        this.secret = secret;
        // HTTP/1.1: no h2c upgrade dance on every request; a long poll holds one connection anyway.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public Optional<VersionedConfig> poll(long after, Duration wait) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(node.resolve("config?after=" + after + "&wait="
                + wait.toMillis() + "ms")).timeout(wait.plus(ANSWER_MARGIN))
                .header("Authorization", "Bearer " + secret).GET().build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 304) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw refused("configuration", response);
        }
        try {
            return Optional.of(ConfigCodec.read(response.body()));
        } catch (JsonParseException e) {
            throw new IOException("The controller sent a configuration that cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void report(AgentReport report) throws IOException {
        JsonObject body = new JsonObject();
        body.addProperty("realisedRevision", report.realisedRevision());
        body.addProperty("agentVersion", report.agentVersion());
        body.add("failures", JsonCodec.gson().toJsonTree(report.failures()));
        HttpRequest request = HttpRequest.newBuilder(node.resolve("heartbeat")).timeout(ANSWER_MARGIN)
                .header("Authorization", "Bearer " + secret).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JsonCodec.gson().toJson(body))).build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200) {
            throw refused("heartbeat", response);
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    private static IOException refused(String what, HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body();
        return new IOException("The controller refused the " + what + " request: HTTP " + response.statusCode()
                + " " + (body.length() > 300 ? body.substring(0, 300) : body));
    }
}
