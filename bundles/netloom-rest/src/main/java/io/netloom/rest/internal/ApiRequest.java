package io.netloom.rest.internal;

import java.util.Map;
import java.util.Optional;

import javax.servlet.http.HttpServletRequest;

/**
 * One request as a handler sees it: the matched path parameters and access to the query and body.
 */
record ApiRequest(HttpServletRequest http, Map<String, String> pathParams) {

    String pathParam(String name) {
        return pathParams.get(name);
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(http.getParameter(name));
    }
}
