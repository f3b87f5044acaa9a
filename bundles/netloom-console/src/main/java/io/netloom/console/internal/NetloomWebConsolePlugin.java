package io.netloom.console.internal;

import java.io.IOException;
import java.io.PrintWriter;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;

/**
 * A Netloom tab in the Felix Web Console ({@code /system/console/netloom}) for Karaf users who live there: it links
 * to the Netloom console. The Web Console wraps a plain servlet with its own page header and footer and asks it only
 * for the page's content, so this needs none of its packages and is inert when it is not installed. It has no
 * HTTP Whiteboard properties, so the whiteboard never serves it on its own.
 */
@Component(service = Servlet.class)
@WebConsolePluginProperties(label = NetloomWebConsolePlugin.LABEL, title = "Netloom", category = "Netloom")
public class NetloomWebConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String LABEL = "netloom";
    static final String CONSOLE_PATH = ConsoleContext.PATH + "/";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // Ignored when the Web Console has already sent its header, which is what it normally does first.
        response.setContentType("text/html;charset=utf-8");
        PrintWriter out = response.getWriter();
        out.println("<div class=\"netloom-plugin\">");
        out.println("<h2>Netloom</h2>");
        out.println("<p>Netloom's own console shows networks, subnets, ports, peerings, security groups, drivers and "
                + "a live topology picture, and explains reachability between ports.</p>");
        out.println("<p><a id=\"netloom-console-link\" class=\"ui-state-default ui-corner-all\" href=\""
                + CONSOLE_PATH + "\">Open the Netloom console</a></p>");
        out.println("<p>It asks for your Karaf user name and password on its own login page and works through the "
                + "REST API at <code>/netloom/api/v1</code>.</p>");
        out.println("</div>");
    }
}
