package io.netloom.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.AsyncContext;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.NetloomException;
import io.netloom.api.agent.NodeConfigService;
import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.codec.ConfigCodec;
import io.netloom.api.model.Node;
import io.netloom.api.model.NodeService;

/**
 * {@code GET /nodes/{id}/config?after=REV&wait=30s}: a node agent's long poll for its desired configuration. The
 * answer is {@code 200} with the configuration ({@link ConfigCodec}) as soon as its revision is above {@code after}
 * (at once when it already is), or {@code 304} with no body when {@code wait} runs out first. A waiting poll holds
 * no server thread. The node itself (with its credential) or an administrator or viewer may read it.
 */
final class NodeConfigPoll {

    /** The revision of the configuration in a {@code 200} answer. */
    static final String CONFIG_REVISION_HEADER = "Netloom-Config-Revision";
    private static final Pattern PATH = Pattern.compile("/nodes/([^/]+)/config");
    private static final Logger LOG = LoggerFactory.getLogger(NodeConfigPoll.class);

    private NodeConfigPoll() {
    }

    /**
     * @return the node whose configuration the request polls, when it is such a request
     */
    static Optional<String> nodeOf(String method, String path) {
        if (!"GET".equals(method) || path == null) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static void serve(HttpServletRequest request, HttpServletResponse response, String idOrName, NodeService nodes,
            NodeConfigService configs, ScheduledExecutorService timer) throws IOException {
        CompletableFuture<VersionedConfig> newer;
        Duration wait;
        try {
            String node = resolve(request, idOrName, nodes);
            long after = after(request.getParameter("after"));
            String waitText = request.getParameter("wait");
            wait = waitText == null ? Duration.ZERO : Realisation.parse(waitText);
            if (configs == null) {
                JsonResponses.write(response, ApiResponse.error(503, "RECONCILER_UNAVAILABLE", "The reconciler is "
                        + "not running: no configuration can be served now; retry shortly")
                        .withHeader("Retry-After", "1"));
                return;
            }
            newer = configs.newer(node, after);
        } catch (ApiException e) {
            JsonResponses.write(response, e.toResponse());
            return;
        } catch (NetloomException e) {
            JsonResponses.write(response, new ApiResponse(ApiServlet.statusOf(e), new ApiError(e.code(),
                    e.getMessage(), e.field().orElse(null))));
            return;
        }
        if (newer.isDone() || wait.isZero()) {
            newer.cancel(false);
            write(response, newer);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        timer.schedule(() -> newer.cancel(false), wait.toMillis(), TimeUnit.MILLISECONDS);
        newer.whenComplete((config, failure) -> {
            try {
                write((HttpServletResponse) async.getResponse(), newer);
            } catch (IOException | RuntimeException e) {
                LOG.debug("A node's configuration could not be sent: {}", e.toString());
            } finally {
                async.complete();
            }
        });
    }

    /** The node's id, once the caller may read its configuration. */
    private static String resolve(HttpServletRequest request, String idOrName, NodeService nodes) {
        Optional<String> self = ApiContext.nodeOf(request);
        if (self.isPresent()) {
            // The API context let this credential through for its own node's path only.
            return self.get();
        }
        Node node = nodes.node(ApiServlet.callerOf(request), idOrName);
        if (node.local()) {
            throw new ConflictException("LOCAL_NODE", "Node " + node.id() + " is the controller's own node: the "
                    + "reconciler realises it here, no agent fetches its configuration", null);
        }
        return node.id();
    }

    private static long after(String text) {
        if (text == null) {
            return 0;
        }
        try {
            long after = Long.parseLong(text);
            if (after >= 0) {
                return after;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("INVALID_AFTER", "after is the revision the agent holds: 0 or more", "after");
    }

    private static void write(HttpServletResponse response, CompletableFuture<VersionedConfig> newer)
            throws IOException {
        VersionedConfig config = newer.isCancelled() || newer.isCompletedExceptionally() ? null : newer.getNow(null);
        response.setHeader("Cache-Control", "no-store");
        if (config == null) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] json = ConfigCodec.write(config.revision(), config.config()).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader(CONFIG_REVISION_HEADER, Long.toString(config.revision()));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }
}
