package io.netloom.ovsdb.notation;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import org.junit.Test;

public class NotationTest {
    private static final String U1 = "3e708e9a-eef0-4459-8817-7d2922296b0d";
    private static final String U2 = "b39fa385-085b-4663-893a-2404a66aa7e6";

    private static JsonElement json(String text) {
        return JsonParser.parseString(text);
    }

    @Test
    public void atomsEncodeAsJsonScalarsAndTaggedUuids() {
        assertEquals(json("\"br0\""), Notation.toJson("br0"));
        assertEquals(json("42"), Notation.toJson(42));
        assertEquals(json("42"), Notation.toJson(42L));
        assertEquals(json("1.5"), Notation.toJson(1.5));
        assertEquals(json("true"), Notation.toJson(true));
        assertEquals(json("[\"uuid\",\"" + U1 + "\"]"), Notation.toJson(Uuid.of(U1)));
        assertEquals(json("[\"named-uuid\",\"new_port\"]"), Notation.toJson(NamedUuid.of("new_port")));
    }

    @Test
    public void aSingleElementSetIsTheBareAtomAndAnEmptyOptionalIsTheEmptySet() {
        assertEquals(json("\"a\""), Notation.toJson(Set.of("a")));
        assertEquals(json("[\"set\",[]]"), Notation.toJson(Set.of()));
        assertEquals(json("[\"set\",[]]"), Notation.toJson(Optional.empty()));
        assertEquals(json("7"), Notation.toJson(Optional.of(7L)));
        Set<Object> two = new LinkedHashSet<>(List.of(Uuid.of(U1), Uuid.of(U2)));
        assertEquals(json("[\"set\",[[\"uuid\",\"" + U1 + "\"],[\"uuid\",\"" + U2 + "\"]]]"), Notation.toJson(two));
    }

    @Test
    public void mapsEncodeAsPairs() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("iface-id", "vm-1");
        map.put("attached-mac", "aa:bb:cc:dd:ee:ff");

        assertEquals(json("[\"map\",[[\"iface-id\",\"vm-1\"],[\"attached-mac\",\"aa:bb:cc:dd:ee:ff\"]]]"),
                Notation.toJson(map));
        assertEquals(json("[\"map\",[]]"), Notation.toJson(Map.of()));
    }

    @Test
    public void decodingTellsIntegersFromRealsAndBuildsSetsAndMaps() {
        assertEquals(5L, Notation.fromJson(json("5")));
        assertEquals(-5L, Notation.fromJson(json("-5")));
        assertEquals(2.5, Notation.fromJson(json("2.5")));
        assertEquals(1000.0, Notation.fromJson(json("1e3")));
        assertEquals(Uuid.of(U1), Notation.fromJson(json("[\"uuid\",\"" + U1.toUpperCase() + "\"]")));
        assertEquals(Set.of("a", "b"), Notation.fromJson(json("[\"set\",[\"a\",\"b\"]]")));
        assertEquals(Map.of("k", 1L), Notation.fromJson(json("[\"map\",[[\"k\",1]]]")));
    }

    @Test
    public void readersNormalizeBareAtomsAndEmptySets() {
        assertEquals(Set.of("a"), Notation.asSet("a"));
        assertEquals(Map.of(), Notation.asMap(Set.of()));
        assertEquals(Optional.empty(), Notation.asOptional(Set.of()));
        assertEquals(Optional.of(3L), Notation.asOptional(3L));
        assertThrows(IllegalArgumentException.class, () -> Notation.asOptional(Set.of(1L, 2L)));
    }

    @Test
    public void invalidNotationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Notation.fromJson(json("[\"uuid\",\"not-a-uuid\"]")));
        assertThrows(IllegalArgumentException.class, () -> Notation.fromJson(json("{\"a\":1}")));
        assertThrows(IllegalArgumentException.class, () -> Notation.fromJson(json("[\"set\",[[\"set\",[]]]]")));
        assertThrows(IllegalArgumentException.class, () -> Notation.toJson(new Object()));
        assertThrows(IllegalArgumentException.class, () -> NamedUuid.of("1bad"));
    }

    @Test
    public void rowTypedGettersAcceptBareAtomsAndSets() {
        Row row = Row.fromJson(JsonParser.parseString("{\"_uuid\":[\"uuid\",\"" + U1 + "\"],\"name\":\"tap0\","
                + "\"ofport\":[\"set\",[]],\"ofport_request\":10,\"ports\":[\"uuid\",\"" + U2 + "\"],"
                + "\"external_ids\":[\"map\",[[\"iface-id\",\"vm-1\"]]],\"trunks\":[\"set\",[1,2]],"
                + "\"stp_enable\":false}").getAsJsonObject());

        assertEquals(Uuid.of(U1), row.uuid());
        assertEquals("tap0", row.getString("name"));
        assertEquals(Optional.empty(), row.getOptionalLong("ofport"));
        assertEquals(Optional.of(10L), row.getOptionalLong("ofport_request"));
        assertEquals(10L, row.getLong("ofport_request"));
        assertEquals(Set.of(Uuid.of(U2)), row.getUuidSet("ports"));
        assertEquals(Map.of("iface-id", "vm-1"), row.getStringMap("external_ids"));
        assertEquals(Set.of(1L, 2L), row.getLongSet("trunks"));
        assertEquals(false, row.getBoolean("stp_enable"));
    }

    @Test
    public void rowGettersFailClearlyOnAbsentColumnsAndWrongTypes() {
        Row row = new Row(Map.of("name", "tap0", "ofport", Set.of()));

        NoSuchElementException absent = assertThrows(NoSuchElementException.class, () -> row.getString("type"));
        assertTrue(absent.getMessage().contains("'type'"));
        assertThrows(NoSuchElementException.class, () -> row.getLong("ofport"));
        IllegalStateException wrongType = assertThrows(IllegalStateException.class, () -> row.getLong("name"));
        assertTrue(wrongType.getMessage().contains("not Long"));
        assertThrows(IllegalStateException.class, () -> row.getStringMap("name"));
    }
}
