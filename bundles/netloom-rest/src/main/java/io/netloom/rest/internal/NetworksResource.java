package io.netloom.rest.internal;

import java.util.Set;

import io.netloom.api.model.AddressRange;
import io.netloom.api.model.HostRoute;
import io.netloom.api.model.Network;
import io.netloom.api.model.NetworkAdminService;
import io.netloom.api.model.NetworkSpec;
import io.netloom.api.model.NetworkUpdate;
import io.netloom.api.model.StaticRoute;
import io.netloom.api.model.StaticRouteSpec;
import io.netloom.api.model.Subnet;
import io.netloom.api.model.SubnetSpec;
import io.netloom.api.model.SubnetUpdate;

/**
 * {@code /networks} and their subnets.
 */
final class NetworksResource {

    private final NetworkAdminService networks;

    NetworksResource(NetworkAdminService networks) {
        this.networks = networks;
    }

    void register(Router router) {
        router.add("GET", "/networks", r -> Paging.page(r, networks.networks(r.caller()), Network::id));
        router.add("POST", "/networks", this::create);
        router.add("GET", "/networks/{id}", r -> ApiResponse.ok(networks.network(r.caller(), r.pathParam("id"))));
        router.add("PATCH", "/networks/{id}", this::update);
        router.add("DELETE", "/networks/{id}", r -> {
            networks.deleteNetwork(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
        router.add("GET", "/networks/{id}/subnets", r -> Paging.page(r, networks.subnets(r.caller(),
                r.pathParam("id")), Subnet::id));
        router.add("POST", "/networks/{id}/subnets", this::createSubnet);
        router.add("GET", "/networks/{id}/static-routes", r -> Paging.page(r, networks.staticRoutes(r.caller(),
                r.pathParam("id")), StaticRoute::id));
        router.add("POST", "/networks/{id}/static-routes", this::addStaticRoute);
        router.add("DELETE", "/networks/{id}/static-routes/{routeId}", r -> {
            networks.removeStaticRoute(r.caller(), r.pathParam("id"), r.pathParam("routeId"));
            return ApiResponse.noContent();
        });
        router.add("GET", "/subnets/{id}", r -> ApiResponse.ok(networks.subnet(r.caller(), r.pathParam("id"))));
        router.add("PATCH", "/subnets/{id}", r -> {
            MergePatch patch = MergePatch.of(r.body(), Set.of("cidr", "gateway", "network", "noGateway",
                    "allocationPools"), "name", "dnsNameservers", "hostRoutes");
            return ApiResponse.ok(networks.updateSubnet(r.caller(), r.pathParam("id"),
                    new SubnetUpdate(patch.string("name"), patch.strings("dnsNameservers"),
                            patch.objects("hostRoutes", NetworksResource::hostRoute))));
        });
        router.add("DELETE", "/subnets/{id}", r -> {
            networks.deleteSubnet(r.caller(), r.pathParam("id"));
            return ApiResponse.noContent();
        });
    }

    private ApiResponse create(ApiRequest r) {
        Fields f = r.fields().only("name", "description", "cidrs", "driver", "pendingDriver");
        Network n = networks.createNetwork(r.caller(), new NetworkSpec(f.requiredString("name"), f.strings("cidrs"),
                f.string("driver"), f.bool("pendingDriver", false), f.string("description")));
        return ApiResponse.created("/netloom/api/v1/networks/" + n.id(), n);
    }

    /** A merge patch of the name, description and address space ({@code cidrs}, the whole new list). */
    private ApiResponse update(ApiRequest r) {
        MergePatch patch = MergePatch.of(r.body(), Set.of("driver", "pendingDriver"), "name", "description",
                "cidrs");
        return ApiResponse.ok(networks.updateNetwork(r.caller(), r.pathParam("id"), new NetworkUpdate(
                patch.string("name"), patch.removableString("description"), patch.strings("cidrs"))));
    }

    private ApiResponse addStaticRoute(ApiRequest r) {
        Fields f = r.fields().only("destination", "nextHop");
        StaticRoute route = networks.addStaticRoute(r.caller(), r.pathParam("id"), new StaticRouteSpec(
                f.requiredString("destination"), f.requiredString("nextHop")));
        return ApiResponse.created("/netloom/api/v1/networks/" + route.network() + "/static-routes/" + route.id(),
                route);
    }

    private ApiResponse createSubnet(ApiRequest r) {
        Fields f = r.fields().only("name", "cidr", "gateway", "noGateway", "allocationPools", "dnsNameservers",
                "hostRoutes");
        Subnet s = networks.createSubnet(r.caller(), r.pathParam("id"), new SubnetSpec(f.requiredString("name"),
                f.requiredString("cidr"), f.string("gateway"), f.bool("noGateway", false),
                f.objects("allocationPools", NetworksResource::range), f.strings("dnsNameservers"),
                f.objects("hostRoutes", NetworksResource::hostRoute)));
        return ApiResponse.created("/netloom/api/v1/subnets/" + s.id(), s);
    }

    /** {@code {start, end}}: an allocation pool, both ends included. */
    private static AddressRange range(Fields f) {
        f.only("start", "end");
        return new AddressRange(f.requiredString("start"), f.requiredString("end"));
    }

    /** {@code {destination, nexthop}}: a route handed to the subnet's workloads. */
    private static HostRoute hostRoute(Fields f) {
        f.only("destination", "nexthop");
        return new HostRoute(f.requiredString("destination"), f.requiredString("nexthop"));
    }
}
