package io.netloom.rest.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Function;

import javax.servlet.http.HttpServletRequest;

import io.netloom.api.model.Page;

/**
 * Lists answer in pages when asked: {@code ?limit=N} (1 to {@value Page#MAX_LIMIT}) and {@code ?marker=ID} (the
 * last id of the previous page; with a marker and no limit a page holds {@value Page#MAX_LIMIT}). The body stays the
 * JSON array of the page's items; when more follow, a {@code Link: <...>; rel="next"} header gives the next page's
 * address, with the request's other parameters kept. A request with neither gets the whole list, as clients that
 * do not page have always had it.
 */
final class Paging {

    private Paging() {
    }

    /**
     * @param r the request, for its {@code limit}, {@code marker} and other parameters
     * @param all the whole list, in its order
     * @param id how to read an item's id
     * @return 200 with the page and, when more follow, the {@code Link} header
     */
    static <T> ApiResponse page(ApiRequest r, List<T> all, Function<T, String> id) {
        Integer limit = r.query("limit").map(Paging::parseLimit).orElse(null);
        Page<T> page = Page.of(all, id, limit, r.query("marker").orElse(null));
        ApiResponse answer = ApiResponse.ok(page.items());
        if (page.next().isEmpty()) {
            return answer;
        }
        return answer.withHeader("Link", "<" + nextUri(r.http(), page.next().get(), page.items().size())
                + ">; rel=\"next\"");
    }

    private static int parseLimit(String text) {
        if (!text.matches("[0-9]{1,4}")) {
            throw ApiException.badRequest("INVALID_LIMIT", "limit is a whole number from 1 to " + Page.MAX_LIMIT,
                    "limit");
        }
        return Integer.parseInt(text);
    }

    private static String nextUri(HttpServletRequest http, String marker, int limit) {
        StringBuilder uri = new StringBuilder(http.getRequestURI()).append("?limit=").append(limit)
                .append("&marker=").append(encode(marker));
        Enumeration<String> names = http.getParameterNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            if (name.equals("limit") || name.equals("marker")) {
                continue;
            }
            for (String value : http.getParameterValues(name)) {
                uri.append('&').append(encode(name)).append('=').append(encode(value));
            }
        }
        return uri.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
