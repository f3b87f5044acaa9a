package io.netloom.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class ConsoleServletTest {

    private final ConsoleServlet servlet = new ConsoleServlet(ConsoleServletTest.class.getClassLoader(), 0L);

    private FakeHttp.Answer get(String uri, String pathInfo) throws Exception {
        FakeHttp.Answer answer = new FakeHttp.Answer();
        servlet.service(FakeHttp.get(uri, pathInfo), FakeHttp.response(answer));
        return answer;
    }

    @Test
    public void contextRootRedirectsToTheIndexWithASlash() throws Exception {
        FakeHttp.Answer answer = get("/netloom/console", null);
        assertEquals(302, answer.status);
        assertEquals("/netloom/console/", answer.redirect);
    }

    @Test
    public void indexIsServedAsHtmlWithItsPolicy() throws Exception {
        FakeHttp.Answer answer = get("/netloom/console/", "/");
        assertEquals(200, answer.status);
        assertEquals("text/html;charset=utf-8", answer.contentType);
        assertTrue(answer.body().contains("<script type=\"module\" src=\"js/app.js\">"));
        assertEquals(ConsoleServlet.CONTENT_SECURITY_POLICY, answer.headers.get("Content-Security-Policy"));
        assertEquals("nosniff", answer.headers.get("X-Content-Type-Options"));
        assertEquals("no-cache", answer.headers.get("Cache-Control"));
    }

    @Test
    public void scriptsAreServedAsJavaScript() throws Exception {
        FakeHttp.Answer answer = get("/netloom/console/js/app.js", "/js/app.js");
        assertEquals(200, answer.status);
        assertEquals("text/javascript;charset=utf-8", answer.contentType);
        assertTrue(answer.body().contains("hashchange"));
    }

    @Test
    public void unknownAndUnsafePathsAre404() throws Exception {
        assertEquals(404, get("/netloom/console/nope.js", "/nope.js").status);
        assertEquals(404, get("/netloom/console/../x", "/../x").status);
        assertEquals(404, get("/netloom/console/x.class", "/io/netloom/console/internal/ConsoleServlet.class").status);
    }
}
