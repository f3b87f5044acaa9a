package io.netloom.console.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Just enough of a servlet request and response to call a servlet's {@code service} in a unit test, without a
 * container or a mocking library.
 */
final class FakeHttp {

    /** What a servlet answered. */
    static final class Answer {
        int status = 200;
        String contentType;
        String redirect;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final StringWriter chars = new StringWriter();

        String body() {
            return bytes.toString(StandardCharsets.UTF_8) + chars;
        }
    }

    private FakeHttp() {
    }

    static HttpServletRequest get(String requestUri, String pathInfo) {
        Map<String, Object> values = new HashMap<>();
        values.put("getMethod", "GET");
        values.put("getProtocol", "HTTP/1.1");
        values.put("getRequestURI", requestUri);
        values.put("getPathInfo", pathInfo);
        values.put("getDateHeader", -1L);
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> values.containsKey(method.getName()) ? values.get(method.getName())
                        : defaultOf(method.getReturnType()));
    }

    static HttpServletResponse response(Answer answer) {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public void write(int b) {
                answer.bytes.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException("blocking only");
            }
        };
        PrintWriter writer = new PrintWriter(answer.chars);
        return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getOutputStream":
                            return out;
                        case "getWriter":
                            return writer;
                        case "setContentType":
                            answer.contentType = (String) args[0];
                            return null;
                        case "setHeader":
                            answer.headers.put((String) args[0], (String) args[1]);
                            return null;
                        case "setStatus":
                        case "sendError":
                            answer.status = (Integer) args[0];
                            return null;
                        case "sendRedirect":
                            answer.status = 302;
                            answer.redirect = (String) args[0];
                            return null;
                        default:
                            return defaultOf(method.getReturnType());
                    }
                });
    }

    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }
}
