package io.netloom.api.explain;

/**
 * One step of an explanation.
 *
 * @param layer {@code source}, {@code egress-firewall}, {@code routing}, {@code peering}, {@code ingress-firewall},
 *     {@code appliance} (a port a route's next hop names, forwarding the traffic on), {@code overlay} (the VXLAN
 *     tunnel from the source's node to the destination's, when they differ) or {@code destination}
 * @param element the exact element looked at: a rule ({@code groupId/ruleId}), a route, a peering id, a default
 * @param decision {@code PASS}, {@code ALLOW}, {@code DENY} or {@code NO_ROUTE}
 * @param detail a sentence for a person
 */
public record Hop(String layer, String element, String decision, String detail) {
}
