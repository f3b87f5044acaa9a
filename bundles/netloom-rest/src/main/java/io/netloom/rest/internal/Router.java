package io.netloom.rest.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps a method and a path such as {@code /networks/{id}/subnets} to a handler. Resources stay thin: each
 * registers its routes here and calls a service.
 */
final class Router {

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    /** The outcome of a look-up: a handler with its path parameters, or the methods the path allows. */
    record Match(Optional<Handler> handler, Map<String, String> pathParams, Set<String> allowedMethods) {
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String pattern, Handler handler) {
        routes.add(new Route(method, split(pattern), handler));
        return this;
    }

    Match find(String method, String path) {
        String[] segments = split(path);
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(Optional.of(route.handler()), params, Set.of(route.method()));
            }
            allowed.add(route.method());
        }
        return new Match(Optional.empty(), Map.of(), allowed);
    }

    private static Map<String, String> match(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path == null ? "" : path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
