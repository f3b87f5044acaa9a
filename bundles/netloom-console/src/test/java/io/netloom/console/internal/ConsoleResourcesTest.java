package io.netloom.console.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import org.junit.Test;

public class ConsoleResourcesTest {

    @Test
    public void rootIsTheIndexPage() {
        ConsoleResources.Resource index = ConsoleResources.resolve("/").orElseThrow();
        assertEquals("console/index.html", index.name());
        assertEquals("text/html;charset=utf-8", index.contentType());
    }

    @Test
    public void modulesAndStylesHaveTheirContentTypes() {
        assertEquals("text/javascript;charset=utf-8",
                ConsoleResources.resolve("/js/pages/topology.js").orElseThrow().contentType());
        assertEquals("text/css;charset=utf-8",
                ConsoleResources.resolve("/css/console.css").orElseThrow().contentType());
        assertEquals("image/svg+xml", ConsoleResources.resolve("/favicon.svg").orElseThrow().contentType());
    }

    @Test
    public void pathsOutsideTheAppAreNeverResolved() {
        for (String path : new String[] {"/../pom.xml", "/js/../../x.js", "/./index.html", "/.hidden.js",
                "//index.html", "/js/", "/a\\b.js", "/index", "/io/netloom/console/internal/ConsoleServlet.class",
                "/index.html?x", "", "index.html"}) {
            assertFalse(path, ConsoleResources.resolve(path).isPresent());
        }
        assertFalse(ConsoleResources.resolve(null).isPresent());
    }
}
