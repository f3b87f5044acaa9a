package io.netloom.console.internal;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * Every file the app refers to is in the bundle and is served: a missing module would only show as a blank page.
 */
public class ConsoleFilesTest {

    private static final Pattern HTML_REFERENCE = Pattern.compile("(?:src|href)=\"([^\"#:]+)\"");
    private static final Pattern IMPORT = Pattern.compile("^import .*? from '([^']+)';", Pattern.MULTILINE
            | Pattern.DOTALL);
    private static final Pattern NO_CDN = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/");

    private static String read(String path) throws IOException {
        ConsoleResources.Resource resource = ConsoleResources.resolve(path).orElseThrow(
                () -> new AssertionError("not a path the console serves: " + path));
        try (InputStream in = ConsoleFilesTest.class.getClassLoader().getResourceAsStream(resource.name())) {
            assertNotNull("missing from the bundle: " + resource.name(), in);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String resolve(String from, String relative) {
        String base = from.substring(0, from.lastIndexOf('/') + 1);
        Deque<String> parts = new ArrayDeque<>();
        for (String part : (base + relative).split("/")) {
            if (part.isEmpty() || ".".equals(part)) {
                continue;
            }
            if ("..".equals(part)) {
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    @Test
    public void everyReferencedFileIsServed() throws IOException {
        String index = read("/index.html");
        Deque<String> modules = new ArrayDeque<>();
        Matcher m = HTML_REFERENCE.matcher(index);
        while (m.find()) {
            String path = resolve("/index.html", m.group(1));
            read(path);
            if (path.endsWith(".js")) {
                modules.add(path);
            }
        }
        Set<String> seen = new HashSet<>();
        while (!modules.isEmpty()) {
            String module = modules.removeFirst();
            if (!seen.add(module)) {
                continue;
            }
            String source = read(module);
            assertTrue(module + " loads something from another host", !NO_CDN.matcher(source).find());
            Matcher imports = IMPORT.matcher(source);
            while (imports.find()) {
                modules.add(resolve(module, imports.group(1)));
            }
        }
        assertTrue("the pages were not all reached: " + seen, seen.contains("/js/pages/topology.js")
                && seen.contains("/js/pages/login.js") && seen.contains("/js/api.js"));
    }
}
