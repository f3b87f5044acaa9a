package io.netloom.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the console's single-page app, the files under {@code console/} in this bundle, at
 * {@code /netloom/console/}; {@code /netloom/console} redirects there so that the app's relative links work.
 *
 * <p>Files are sent with {@code Cache-Control: no-cache} and the bundle's last-modified time, so a browser
 * revalidates them cheaply (304) and picks up a new bundle at once.
 */
// Immediate: activated once when registered, rather than each time the whiteboard takes the servlet up again.
@Component(service = Servlet.class, immediate = true)
@HttpWhiteboardContextSelect(ConsoleContext.SELECT)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("netloom-console")
public class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);

    /**
     * The app loads nothing but its own files and calls nothing but the API on the same origin; no inline script
     * or style is allowed, so injected markup cannot run.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";

    private transient ClassLoader loader;
    private long lastModified;

    /**
     * Made by Declarative Services; {@link #activate} completes it.
     */
    public ConsoleServlet() {
    }

    ConsoleServlet(ClassLoader loader, long lastModified) {
        this.loader = loader;
        this.lastModified = lastModified;
    }

    @Activate
    void activate(BundleContext context) {
        loader = getClass().getClassLoader();
        lastModified = context.getBundle().getLastModified();
        LOG.info("Netloom console served at {}/", ConsoleContext.PATH);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.isEmpty()) {
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        Optional<ConsoleResources.Resource> resource = ConsoleResources.resolve(path);
        Optional<URL> url = resource.map(r -> loader.getResource(r.name()));
        if (url.isEmpty()) {
            LOG.debug("No console file for {}", path);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such file in the Netloom console");
            return;
        }
        response.setContentType(resource.get().contentType());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        try (InputStream in = url.get().openStream()) {
            OutputStream out = response.getOutputStream();
            in.transferTo(out);
        }
    }

    @Override
    protected long getLastModified(HttpServletRequest request) {
        String path = request.getPathInfo();
        if (path == null || path.isEmpty()) {
            return -1;
        }
        boolean exists = ConsoleResources.resolve(path).map(r -> loader.getResource(r.name())).isPresent();
        return exists ? lastModified : -1;
    }
}
