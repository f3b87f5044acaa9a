package io.netloom.benchmarks.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The REST API of a Netloom the harness started, called as {@code admin} over HTTP/1.1 on 127.0.0.1. Safe to use
 * from several threads (the client pools its connections).
 */
final class NetloomRest {

    static final String BASE = "/netloom/api/v1";
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(6);

    /** An HTTP answer, with its {@code Link} header ({@code null} when it has none). */
    record Reply(int status, String body, String link) {

        JsonElement json() {
            return JsonParser.parseString(body);
        }

        /** @return the path (below {@link #BASE}) of the next page of a list, or {@code null} on the last page */
        String next() {
            if (link == null || !link.contains("rel=\"next\"")) {
                return null;
            }
            String uri = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            return uri.substring(uri.indexOf(BASE) + BASE.length());
        }
    }

    private final int port;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    NetloomRest(int port, String user, String password) {
        this.port = port;
        this.authorization = basic(user, password);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    /**
     * GETs every page of a list: the API answers at most 1000 items a page and links the next one.
     *
     * @return all the items
     */
    JsonArray getAll(String path) {
        JsonArray all = new JsonArray();
        String next = path;
        while (next != null) {
            Reply reply = get(next);
            if (reply.status() != 200) {
                throw new IllegalStateException("GET " + next + " answered " + reply.status() + " " + reply.body());
            }
            all.addAll(reply.json().getAsJsonArray());
            next = reply.next();
        }
        return all;
    }

    /**
     * POSTs and fails unless the answer is {@code expected}.
     *
     * @return the body of the answer, parsed
     */
    JsonElement post(String path, String json, int expected) {
        Reply reply = send("POST", path, json);
        if (reply.status() != expected) {
            throw new IllegalStateException("POST " + path + " " + json + " answered " + reply.status() + " "
                    + reply.body());
        }
        return reply.json();
    }

    Reply send(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + BASE + path))
                .timeout(REQUEST_TIMEOUT).header("Authorization", authorization)
                .header("Accept", "application/json");
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body(),
                    response.headers().firstValue("Link").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " got no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }
}
