package io.netloom.reconciler.internal;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.model.Network;
import io.netloom.api.model.Peering;
import io.netloom.api.model.PeeringState;
import io.netloom.api.model.RealisationStatus;
import io.netloom.api.routing.Route;

/**
 * {@link DesiredState}: how a network's routes become route entries.
 */
public class DesiredStateTest {

    private static final Network SPOKE = new Network("net-s", "s", "t", List.of("10.1.0.0/16"), "sim",
            Instant.EPOCH, RealisationStatus.PENDING, "");
    private static final Peering HUB = new Peering("peer-h", "h", "t", "net-s", "net-h", true, PeeringState.ACTIVE, "",
            Instant.EPOCH, Instant.EPOCH);

    private static List<RouteEntry> routes(List<Route> routes, Map<String, Peering> peerings) {
        List<ConfigEntry> out = new ArrayList<>();
        DesiredState.networkEntries(SPOKE, List.of(), routes, peerings, out::add);
        return out.stream().map(RouteEntry.class::cast).toList();
    }

    @Test
    public void aNextHopInAPeeredNetworkNamesThatNetworkAndOneNoPeeringReachesIsLeftOut() {
        Route local = new Route("10.1.0.0/16", Route.LOCAL, "local");
        Route hub = new Route("10.8.0.0/16", Route.peeringTarget("peer-h"), "peering");
        Route viaAppliance = new Route("10.2.0.0/16", "10.8.0.254", "static");
        Route viaOwnPort = new Route("192.168.0.0/16", "10.1.0.9", "static");

        assertEquals(List.of(
                new RouteEntry("net-s", "10.1.0.0/16", "local", null, false),
                new RouteEntry("net-s", "10.8.0.0/16", "peering:peer-h", "net-h", true),
                new RouteEntry("net-s", "10.2.0.0/16", "10.8.0.254", "net-h", false),
                new RouteEntry("net-s", "192.168.0.0/16", "10.1.0.9", null, false)),
                routes(List.of(local, hub, viaAppliance, viaOwnPort), Map.of("peer-h", HUB)));

        // The peering gone: the route through the hub's appliance leads nowhere and is not realised.
        assertEquals(List.of(
                new RouteEntry("net-s", "10.1.0.0/16", "local", null, false),
                new RouteEntry("net-s", "192.168.0.0/16", "10.1.0.9", null, false)),
                routes(List.of(local, viaAppliance, viaOwnPort), Map.of()));
    }
}
