package io.netloom.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The server's error handler, installed by {@code etc/jetty.xml}: the errors Jetty answers before any servlet
 * context is chosen carry the API's JSON error body. A request Jetty cannot even parse (a request line over the
 * limit: 414, headers over the limit: 431, a malformed request line or header: 400) has no path to go by, and is
 * answered so whatever it asked for; any other error under {@link #getApiPath() the API's path} is answered so too,
 * for every method; elsewhere Jetty's own page stays.
 */
public class ApiErrorHandler extends ErrorHandler {

    private volatile String apiPath = "/netloom/api";

    /**
     * @return the path prefix of the API, {@code /netloom/api} unless set
     */
    public String getApiPath() {
        return apiPath;
    }

    /**
     * @param apiPath the path prefix of the API, starting with {@code /}
     */
    public void setApiPath(String apiPath) {
        if (apiPath == null || !apiPath.startsWith("/")) {
            throw new IllegalArgumentException("The API's path must start with /: " + apiPath);
        }
        this.apiPath = apiPath;
    }

    /** Every method gets an error body (Jetty's own handler writes none for {@code PUT}, {@code DELETE}, ...). */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JsonError.CONTENT_TYPE);
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return BufferUtil.toBuffer(JsonError.body(status, reason), StandardCharsets.UTF_8);
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request,
            HttpServletResponse response, int code, String message) throws IOException {
        String path = request.getRequestURI();
        if (path != null && !JsonError.isUnder(path, apiPath)) {
            super.generateAcceptableResponse(baseRequest, request, response, code, message);
            return;
        }
        baseRequest.setHandled(true);
        JsonError.write(response, code, JsonError.body(code, message));
    }
}
