package io.netloom.rest.internal;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.ConflictException;
import io.netloom.api.NetloomException;
import io.netloom.api.NotFoundException;
import io.netloom.api.driver.DriverRegistry;

/**
 * Version 1 of the REST API, under {@code /netloom/api/v1}. Dispatches to thin resources through a {@link Router}
 * and maps every failure to the API's JSON error body: a failure never leaks as an HTML page or a stack trace.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletPattern("/v1/*")
@HttpWhiteboardServletName("netloom-api-v1")
public class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);

    @Reference
    private DriverRegistry drivers;

    private transient Router router;

    @Activate
    void activate() {
        Router r = new Router();
        new DriversResource(drivers).register(r);
        router = r;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.write(response, dispatch(request));
    }

    ApiResponse dispatch(HttpServletRequest request) {
        String method = request.getMethod();
        String path = request.getPathInfo();
        Router.Match match = router.find(method, path);
        if (match.handler().isEmpty()) {
            if (match.allowedMethods().isEmpty()) {
                return ApiResponse.error(404, "NOT_FOUND", "No resource at " + path);
            }
            return ApiResponse.error(405, "METHOD_NOT_ALLOWED",
                    method + " is not allowed here; allowed: " + String.join(", ", match.allowedMethods()));
        }
        try {
            return match.handler().get().handle(new ApiRequest(request, match.pathParams()));
        } catch (NetloomException e) {
            return new ApiResponse(statusOf(e), new ApiError(e.code(), e.getMessage(), e.field().orElse(null)));
        } catch (RuntimeException e) {
            LOG.error("Unexpected failure answering {} {}", method, path, e);
            return ApiResponse.error(500, "INTERNAL_ERROR", "Netloom failed to answer; the log has the details");
        }
    }

    static int statusOf(NetloomException e) {
        if (e instanceof NotFoundException) {
            return 404;
        }
        return e instanceof ConflictException ? 409 : 400;
    }
}
