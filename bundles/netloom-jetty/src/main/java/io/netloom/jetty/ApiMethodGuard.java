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
 * Wraps the server's handlers (installed by {@code etc/jetty.xml}) and answers a request under the API's path with
 * a method the API does not know ({@code TRACE}, {@code CONNECT}, any other) at once with 405 and the API's JSON
 * error body. Pax Web refuses {@code TRACE} inside the servlet context with an empty body that no error page can
 * fill, so the refusal has to come before the context.
 */
public class ApiMethodGuard extends HandlerWrapper {

    /** The methods the API answers itself (with 405 and its error body where a route does not take them). */
    static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private volatile String apiPath = "/netloom/api";

    /** An empty guard; set its handler. */
    public ApiMethodGuard() {
    }

    /**
     * @param handler the handlers it guards
     */
    public ApiMethodGuard(Handler handler) {
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

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        String method = request.getMethod();
        if (!METHODS.contains(method) && JsonError.isUnder(request.getRequestURI(), apiPath)) {
            baseRequest.setHandled(true);
            response.setHeader("Allow", String.join(", ", METHODS));
            JsonError.write(response, 405, JsonError.body("METHOD_NOT_ALLOWED",
                    "The API does not answer " + method + " requests"));
            return;
        }
        super.handle(target, baseRequest, request, response);
    }
}
