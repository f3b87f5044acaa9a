package io.netloom.console.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which file of the bundle answers a path below the console's context, and with which content type. Only files
 * under {@value #ROOT}/ with a known extension are ever served, so neither class files nor anything outside that
 * folder can be read through the console.
 */
final class ConsoleResources {

    /** The folder of the bundle that holds the app. */
    static final String ROOT = "console";
    static final String INDEX = "/index.html";

    /**
     * Segments start with a letter, digit, '_' or '-': no ".", "..", hidden files, empty segments or backslashes.
     */
    private static final Pattern SAFE_PATH = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+");

    // ES modules are refused by browsers unless served with a JavaScript type.
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json;charset=utf-8",
            "txt", "text/plain;charset=utf-8");

    /** A file of the app: its name in the bundle and the content type to send it with. */
    record Resource(String name, String contentType) {
    }

    private ConsoleResources() {
    }

    /**
     * @param pathInfo the request's path below the context, starting with '/'; "/" means the index page
     * @return the file that would answer it, empty when the path is not one the console serves (whether the file
     *         exists is the caller's question)
     */
    static Optional<Resource> resolve(String pathInfo) {
        String path = "/".equals(pathInfo) ? INDEX : pathInfo;
        if (path == null || !SAFE_PATH.matcher(path).matches()) {
            return Optional.empty();
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return Optional.empty();
        }
        String type = TYPES.get(path.substring(dot + 1));
        return type == null ? Optional.empty() : Optional.of(new Resource(ROOT + path, type));
    }
}
