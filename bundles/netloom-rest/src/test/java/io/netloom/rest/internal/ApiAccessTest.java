package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

public class ApiAccessTest {

    private final ApiAccess access = new ApiAccess((user, password) -> {
        Map<String, String> passwords = Map.of("admin", "a-pw", "viewer", "v-pw", "nobody", "n-pw");
        Map<String, Set<String>> roles = Map.of("admin", Set.of(ApiAccess.ADMIN), "viewer", Set.of(ApiAccess.VIEWER),
                "nobody", Set.of("ssh"));
        return new String(password).equals(passwords.get(user)) ? Optional.of(roles.get(user)) : Optional.empty();
    }, throttle(), Clock.systemUTC());

    private static LoginThrottle throttle() {
        return new LoginThrottle(Clock.systemUTC(), LoginThrottle.Settings.DEFAULTS);
    }

    private static ApiAccess.Decision decide(ApiAccess access, String method, String authorization) {
        return access.decide(method, authorization, "192.0.2.1", "rest");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static int status(ApiAccess.Decision d) {
        return d instanceof ApiAccess.Decision.Refused r ? r.status() : 200;
    }

    @Test
    public void missingOrMalformedCredentialsAre401() {
        assertEquals(401, status(decide(access, "GET", null)));
        assertEquals(401, status(decide(access, "GET", "Bearer abc")));
        assertEquals(401, status(decide(access, "GET", "Basic !!!not-base64")));
        assertEquals(401, status(decide(access, "GET",
                "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()))));
        ApiAccess.Decision.Refused r = (ApiAccess.Decision.Refused) decide(access, "GET", null);
        assertEquals("UNAUTHORIZED", r.error().code());
    }

    @Test
    public void wrongPasswordIs401() {
        assertEquals(401, status(decide(access, "GET", basic("admin", "wrong"))));
    }

    @Test
    public void viewerReadsButCannotWrite() {
        assertEquals(200, status(decide(access, "GET", basic("viewer", "v-pw"))));
        assertEquals(403, status(decide(access, "POST", basic("viewer", "v-pw"))));
        assertEquals(403, status(decide(access, "DELETE", basic("viewer", "v-pw"))));
        ApiAccess.Decision.Refused r = (ApiAccess.Decision.Refused) decide(access, "PUT", basic("viewer", "v-pw"));
        assertEquals("FORBIDDEN", r.error().code());
        assertTrue(r.error().message().contains(ApiAccess.ADMIN));
    }

    @Test
    public void adminDoesEverything() {
        for (String m : new String[] {"GET", "POST", "PUT", "DELETE"}) {
            assertEquals(m, 200, status(decide(access, m, basic("admin", "a-pw"))));
        }
    }

    @Test
    public void userWithoutNetloomRoleIs403EvenForReads() {
        assertEquals(403, status(decide(access, "GET", basic("nobody", "n-pw"))));
    }

    @Test
    public void tenantUserMayWrite() {
        ApiAccess user = new ApiAccess((u, p) -> Optional.of(Set.of(ApiAccess.USER, "netloom-tenant-green")),
                throttle(), Clock.systemUTC());
        assertEquals(200, status(decide(user, "POST", basic("alice", "x"))));
    }

    @Test
    public void userWithoutTenantRoleReadsButCannotWrite() {
        ApiAccess user = new ApiAccess((u, p) -> Optional.of(Set.of(ApiAccess.USER)),
                throttle(), Clock.systemUTC());
        assertEquals(200, status(decide(user, "GET", basic("red", "x"))));
        assertEquals(403, status(decide(user, "POST", basic("red", "x"))));
        assertEquals(403, status(decide(user, "DELETE", basic("red", "x"))));
    }

    @Test
    public void passwordsMayContainColons() {
        ApiAccess colon = new ApiAccess((u, p) -> new String(p).equals("a:b:c") ? Optional.of(Set.of(ApiAccess.ADMIN))
                : Optional.empty(),
                throttle(), Clock.systemUTC());
        assertEquals(200, status(decide(colon, "POST", basic("admin", "a:b:c"))));
    }
}
