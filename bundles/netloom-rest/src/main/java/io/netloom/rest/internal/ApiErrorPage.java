package io.netloom.rest.internal;

import java.io.IOException;

import javax.servlet.RequestDispatcher;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletErrorPage;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;

/**
 * The error page of the API's servlet context: an error the container raises inside it (a path outside
 * {@code /v1/}, for example) answers the API's JSON error body, not an HTML one. Errors Jetty raises before a
 * context is chosen (414, 431, malformed paths) and Pax Web's refusal of {@code TRACE} (it refuses the error
 * dispatch too, so the body stays empty) are out of its reach.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletErrorPage(errorPage = {"4xx", "5xx"})
@HttpWhiteboardServletName("netloom-api-errors")
public class ApiErrorPage extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object attribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = attribute instanceof Integer s ? s : response.getStatus();
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String message = status == 404 ? "No resource at " + uri : "The request was refused with HTTP " + status;
        JsonResponses.write(response, ApiResponse.error(status, codeOf(status), message));
    }

    static String codeOf(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "BODY_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "HTTP_" + status;
        };
    }
}
