package io.netloom.api.codec;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import com.google.gson.JsonParseException;

import io.netloom.api.agent.VersionedConfig;
import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.NodeConfig;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;
import io.netloom.api.firewall.FilterRule;
import io.netloom.api.model.AddressPair;
import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.RuleAction;

public class ConfigCodecTest {

    private static NodeConfig everyKind() {
        return NodeConfig.of("node-0123456789ab", List.of(
                new SegmentEntry("net-1", "sub-1", "10.1.1.0/24", "10.1.1.1"),
                new PortEntry("port-1", "net-1", "sub-1", "10.1.1.2", "02:00:00:00:00:02", "10.1.1.1", "netns",
                        "ns-a", List.of(new AddressPair("10.9.0.0/16", null), new AddressPair("10.8.0.1",
                                "02:00:00:00:00:09"))),
                new PortEntry("port-2", "net-1", "sub-1", "10.1.1.3", "02:00:00:00:00:03", "10.1.1.1", null, null),
                new RouteEntry("net-1", "10.1.0.0/16", "local", null, false),
                new RouteEntry("net-1", "10.2.0.0/16", "peering:p-1", "net-2", true),
                new FilterEntry(new FilterRule("sg/r1", "port-1", Direction.INGRESS, Protocol.TCP, 80, 8080,
                        "10.0.0.0/8", RuleAction.ALLOW, 100)),
                new FilterEntry(new FilterRule("sg/r2", "port-1", Direction.EGRESS, Protocol.ANY, null, null,
                        null, RuleAction.DENY, 7, "sg-2")),
                new AddressSetEntry("sg-2", "port-2", "10.1.1.3"),
                new TunnelEntry("net-1", "sub-1", 4097, "10.200.250.11"),
                new RemotePortEntry("port-3", "net-1", "sub-1", "10.1.1.4", "02:00:00:00:00:04", 4097,
                        "node-ba9876543210", "10.200.250.12")));
    }

    @Test
    public void everyEntryKindSurvivesARoundTrip() {
        NodeConfig config = everyKind();
        VersionedConfig back = ConfigCodec.read(ConfigCodec.write(42, config));
        assertEquals(42, back.revision());
        assertEquals(config, back.config());
    }

    @Test
    public void everyPermittedEntryTypeHasAKind() {
        Set<Class<?>> permitted = new HashSet<>(Arrays.asList(ConfigEntry.class.getPermittedSubclasses()));
        assertEquals("ConfigCodec.KINDS must list every ConfigEntry type", permitted,
                new HashSet<>(ConfigCodec.KINDS.values()));
        Set<Class<?>> written = new HashSet<>();
        everyKind().entries().values().forEach(e -> written.add(e.getClass()));
        assertEquals("the round-trip test must cover every kind", permitted, written);
    }

    @Test
    public void anUnknownKindIsRefused() {
        JsonParseException e = assertThrows(JsonParseException.class, () -> ConfigCodec.read(
                "{\"node\":\"n\",\"revision\":1,\"entries\":[{\"kind\":\"wormhole\",\"x\":1}]}"));
        assertTrue(e.getMessage(), e.getMessage().contains("wormhole"));
    }

    @Test
    public void anEntryMissingARequiredComponentIsRefused() {
        assertThrows(JsonParseException.class, () -> ConfigCodec.read(
                "{\"node\":\"n\",\"revision\":1,\"entries\":[{\"kind\":\"segment\",\"network\":\"net-1\"}]}"));
        assertThrows(JsonParseException.class, () -> ConfigCodec.read("{\"node\":\"n\",\"entries\":[]}"));
    }

    @Test
    public void anEmptyConfigurationRoundTrips() {
        VersionedConfig back = ConfigCodec.read(ConfigCodec.write(0, NodeConfig.empty("node-x")));
        assertEquals(NodeConfig.empty("node-x"), back.config());
    }
}
