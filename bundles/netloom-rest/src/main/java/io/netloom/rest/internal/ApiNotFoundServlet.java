package io.netloom.rest.internal;

import java.io.IOException;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The default servlet of the API's context: a path under {@value ApiContext#PATH} that no version of the API
 * serves (such as {@code /netloom/api/v2/networks}) is answered 404 with the API's JSON error body, after the
 * context's path check and authentication, instead of the servlet container's HTML page.
 */
@Component(service = Servlet.class)
@HttpWhiteboardContextSelect(ApiContext.SELECT)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletName("netloom-api-not-found")
public class ApiNotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.write(response, ApiResponse.error(404, "NOT_FOUND", "No resource at this path: the API "
                + "lives under " + ApiContext.PATH + "/v1"));
    }
}
