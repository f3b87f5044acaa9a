package io.netloom.openstack.internal;

import java.io.IOException;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.google.gson.JsonObject;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context of the Neutron subset, {@value #PATH} (the {@code network} entry of the Keystone catalog).
 * Every request but the version document at its root needs a valid Keystone token in {@code X-Auth-Token}.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE)
@HttpWhiteboardContext(name = NetworkingContext.NAME, path = NetworkingContext.PATH)
public class NetworkingContext extends ServletContextHelper {

    static final String NAME = "netloom-networking";
    static final String PATH = "/networking";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";
    static final String TOKEN_ATTRIBUTE = "io.netloom.openstack.token";

    @Reference
    private TokenStore tokens;

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String uri = request.getRequestURI();
        if ((PATH.equals(uri) || (PATH + "/").equals(uri)) && "GET".equals(request.getMethod())) {
            return true;
        }
        Optional<Token> token = tokens.find(request.getHeader("X-Auth-Token"));
        if (token.isEmpty()) {
            JsonObject error = new JsonObject();
            error.addProperty("code", 401);
            error.addProperty("title", "Unauthorized");
            error.addProperty("message", "The request you have made requires authentication.");
            JsonObject body = new JsonObject();
            body.add("error", error);
            response.setHeader("WWW-Authenticate", "Keystone uri=\"" + Http.base(request) + IdentityContext.PATH
                    + "\"");
            Http.write(response, 401, body);
            return false;
        }
        request.setAttribute(TOKEN_ATTRIBUTE, token.get());
        request.setAttribute(REMOTE_USER, token.get().user());
        return true;
    }
}
