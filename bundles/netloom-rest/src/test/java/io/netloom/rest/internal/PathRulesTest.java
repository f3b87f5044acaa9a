package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Optional;

import org.junit.Test;

public class PathRulesTest {

    private static final String API = "/netloom/api/v1";

    @Test
    public void encodedSlashesDotSegmentsNulAndPathParametersAreRefused() {
        for (String path : new String[] {"/networks/..%2fports", "/networks/..%2Fports", "/networks/%2F",
                "/networks/../ports", "/./networks", "/networks/.", "/networks/..", "/networks/%2e%2e/ports",
                "/networks/%2E/ports", "/networks/.%2e/ports", "/networks/..;/ports", "/networks;x=1",
                "/networks/x%00", "/networks/a%5cb", "/networks/a\\b"}) {
            assertTrue(path, PathRules.problem(API + path).isPresent());
        }
    }

    @Test
    public void ordinaryPathsPass() {
        for (String path : new String[] {"/networks", "/networks/", "/networks/net-0123456789ab/subnets",
                "/networks/web.prod", "/networks/a..b", "/networks/...", "/ports?network=x", "/networks/%41"}) {
            assertEquals(path, Optional.empty(), PathRules.problem(API + path));
        }
    }
}
