package io.netloom.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.Test;

public class NetloomWebConsolePluginTest {

    @Test
    public void pageLinksToTheConsole() throws Exception {
        FakeHttp.Answer answer = new FakeHttp.Answer();
        new NetloomWebConsolePlugin().service(FakeHttp.get("/system/console/netloom", "/netloom"),
                FakeHttp.response(answer));
        assertEquals(200, answer.status);
        String body = answer.body();
        assertTrue(body, body.contains("href=\"/netloom/console/\""));
        assertTrue(body, body.contains("Open the Netloom console"));
        // A fragment: the Web Console writes the page around it.
        assertFalse(body, body.contains("<html"));
    }

    @Test
    public void componentCarriesThePropertiesTheWebConsoleLooksFor() throws Exception {
        // The DS descriptor bnd generated from the annotations, as SCR will read it.
        String xml;
        try (InputStream in = NetloomWebConsolePlugin.class.getClassLoader().getResourceAsStream(
                "OSGI-INF/" + NetloomWebConsolePlugin.class.getName() + ".xml")) {
            assertNotNull("no DS descriptor: run the build through bnd-process", in);
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(xml, xml.contains("name=\"felix.webconsole.label\" type=\"String\" value=\"netloom\""));
        assertTrue(xml, xml.contains("name=\"felix.webconsole.title\" type=\"String\" value=\"Netloom\""));
        assertTrue(xml, xml.contains("name=\"felix.webconsole.category\" type=\"String\" value=\"Netloom\""));
        assertTrue(xml, xml.contains("interface=\"javax.servlet.Servlet\""));
        assertFalse("the whiteboard must not serve the plugin on its own", xml.contains("osgi.http.whiteboard"));
    }

    @Test
    public void pluginNeedsNoWebConsoleClass() {
        for (Method method : NetloomWebConsolePlugin.class.getDeclaredMethods()) {
            for (Class<?> type : method.getParameterTypes()) {
                assertFalse(method.toString(), type.getName().startsWith("org.apache.felix.webconsole"));
            }
        }
        assertFalse(Arrays.stream(NetloomWebConsolePlugin.class.getInterfaces())
                .anyMatch(i -> i.getName().startsWith("org.apache.felix")));
    }
}
