package io.netloom.openstack.internal;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The servlet context of the Keystone subset, {@value #PATH} (DevStack's layout). It needs no authentication of its
 * own: issuing a token checks the password in the request body.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE)
@HttpWhiteboardContext(name = IdentityContext.NAME, path = IdentityContext.PATH)
public class IdentityContext extends ServletContextHelper {

    static final String NAME = "netloom-identity";
    static final String PATH = "/identity";
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) {
        return true;
    }
}
