package io.netloom.jetty;

import java.io.IOException;
import java.util.List;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Wraps the server's handlers (installed by {@code etc/jetty.xml}) and answers, with the API's JSON error body and
 * before any servlet context or authentication, two kinds of request under the API's path that would otherwise get
 * the servlet container's own answer:
 * <ul>
 * <li>a method the API does not know ({@code TRACE}, {@code CONNECT}, any other): 405 {@code METHOD_NOT_ALLOWED}.
 * Pax Web refuses {@code TRACE} inside the servlet context with an empty body that no error page can fill;</li>
 * <li>a path outside the API's versions (such as {@code /netloom/api/v2/networks}): 404 {@code NOT_FOUND}. A servlet
 * mapped to the rest of the API's context would do too, but Pax Web kept sending {@code /v1/} requests to it when
 * they came while the version's servlet was being registered.</li>
 * </ul>
 */
public class ApiGuard extends HandlerWrapper {

    /** The methods the API answers itself (with 405 and its error body where a route does not take them). */
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private volatile String apiPath = "/netloom/api";
    private volatile List<String> versions = List.of("v1");

    /** An empty guard; set its handler. */
    public ApiGuard() {
    }

    /**
     * @param handler the handlers it guards
     */
    public ApiGuard(Handler handler) {
        setHandler(handler);
    }

    /**
     * @param apiPath the path prefix of the API, {@code /netloom/api} unless set
     */
    public void setApiPath(String apiPath) {
        if (apiPath == null || !apiPath.startsWith("/")) {
            throw new IllegalArgumentException("The API's path must start with /: " + apiPath);
        }
        this.apiPath = apiPath;
    }

    /**
     * @return the path prefix of the API
     */
    public String getApiPath() {
        return apiPath;
    }

    /**
     * @param versions the versions the API serves under its path, comma-separated ({@code v1} unless set)
     */
    public void setVersions(String versions) {
        this.versions = List.of(versions.trim().split("\\s*,\\s*"));
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String path = request.getRequestURI();
        if (JsonError.isUnder(path, apiPath)) {
            String method = request.getMethod();
            if (!METHODS.contains(method)) {
                baseRequest.setHandled(true);
                response.setHeader("Allow", String.join(", ", METHODS));
                JsonError.write(response, 405, JsonError.body("METHOD_NOT_ALLOWED",
                        "The API does not answer " + method + " requests"));
                return;
            }
            if (versions.stream().noneMatch(v -> JsonError.isUnder(path, apiPath + "/" + v))) {
                baseRequest.setHandled(true);
                JsonError.write(response, 404, JsonError.body("NOT_FOUND", "No resource at this path: the API "
                        + "lives under " + apiPath + "/" + versions.get(0)));
                return;
            }
        }
        super.handle(target, baseRequest, request, response);
    }
}
