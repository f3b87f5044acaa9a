package io.netloom.console.internal;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context of the web console, {@value #PATH}. It lets every request through: the console's files hold
 * no data, and every datum the app shows comes from the REST API, which authenticates each request itself. A
 * context of its own keeps the console's paths, and its security headers, apart from the API's.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE)
@HttpWhiteboardContext(name = ConsoleContext.NAME, path = ConsoleContext.PATH)
public class ConsoleContext extends ServletContextHelper {

    static final String NAME = "netloom-console";
    static final String PATH = "/netloom/console";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
}
