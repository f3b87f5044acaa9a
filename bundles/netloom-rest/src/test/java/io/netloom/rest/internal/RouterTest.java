package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Set;

import org.junit.Test;

public class RouterTest {

    private final Router router = new Router()
            .add("GET", "/networks", r -> ApiResponse.ok("list"))
            .add("POST", "/networks", r -> ApiResponse.ok("create"))
            .add("GET", "/networks/{id}/subnets", r -> ApiResponse.ok(r.pathParam("id")));

    @Test
    public void matchesMethodAndPathWithParameters() {
        Router.Match m = router.find("GET", "/networks/n-1/subnets");
        assertEquals("n-1", m.pathParams().get("id"));
        assertEquals("n-1", m.handler().orElseThrow().handle(new ApiRequest(null, m.pathParams(), null)).body());
    }

    @Test
    public void trailingSlashIsTolerated() {
        assertTrue(router.find("GET", "/networks/").handler().isPresent());
    }

    @Test
    public void knownPathWithOtherMethodListsAllowedMethods() {
        Router.Match m = router.find("DELETE", "/networks");
        assertTrue(m.handler().isEmpty());
        assertEquals(Set.of("GET", "POST"), m.allowedMethods());
    }

    @Test
    public void unknownPathHasNoMethods() {
        Router.Match m = router.find("GET", "/nothing/here");
        assertTrue(m.handler().isEmpty());
        assertTrue(m.allowedMethods().isEmpty());
        assertTrue(router.find("GET", "/networks//subnets").handler().isEmpty());
        assertTrue(router.find("GET", null).handler().isEmpty());
    }
}
