package io.netloom.ovsdb.monitor;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import io.netloom.ovsdb.notation.Row;
import io.netloom.ovsdb.notation.Uuid;
import io.netloom.ovsdb.schema.DatabaseSchemaTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.Before;
import org.junit.Test;

public class TableCacheTest {
    private static final String BR = "a9d274d0-f3e3-4a62-96c6-32a37c23435f";
    private static final String P1 = "b39fa385-085b-4663-893a-2404a66aa7e6";
    private static final String P2 = "cb1eb143-730f-4eb2-bd22-71a673752523";
    private static final String P3 = "3e708e9a-eef0-4459-8817-7d2922296b0d";
    private static final List<MonitorRequest> ALL = List.of(MonitorRequest.of("Bridge"), MonitorRequest.of("Port"));

    private final TableCache cache = new TableCache();
    private final List<CacheEvent> events = new ArrayList<>();

    private static TableUpdates update2(String json, boolean initial) {
        return TableUpdates.parse(JsonParser.parseString(json), TableUpdates.Format.UPDATE2, initial);
    }

    private static String modify(String columns) {
        return "{\"Bridge\":{\"" + BR + "\":{\"modify\":{" + columns + "}}}}";
    }

    private Row bridge() {
        return cache.row("Bridge", Uuid.of(BR)).orElseThrow();
    }

    @Before
    public void fillWithOneBridge() {
        cache.addListener(events::add);
        cache.replaceAll(DatabaseSchemaTest.schema(), ALL, update2("{\"Bridge\":{\"" + BR + "\":{\"initial\":{"
                + "\"name\":\"br0\",\"ports\":[\"set\",[[\"uuid\",\"" + P1 + "\"],[\"uuid\",\"" + P2 + "\"]]],"
                + "\"external_ids\":[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]}}}}", true));
    }

    @Test
    public void initialRowsGetTheirUuidAndDefaultsForOmittedColumns() {
        Row row = bridge();

        assertEquals(Uuid.of(BR), row.uuid());
        assertEquals("br0", row.getString("name"));
        assertEquals(Optional.empty(), row.getOptionalString("fail_mode"));
        assertEquals("", row.getString("datapath_version"));
        assertFalse(row.getBoolean("stp_enable"));
        assertEquals(Set.of(), row.getLongSet("flood_vlans"));
        assertEquals(Set.of("Bridge", "Port"), cache.tables());
        assertEquals(Map.of(), cache.rows("Port"));
        assertEquals(CacheEvent.Type.RESYNC, events.get(0).type());
    }

    @Test
    public void setDifferenceTogglesElements() {
        // P2 present: removed; P3 absent: added; a bare atom is a one-element difference.
        cache.apply(update2(modify("\"ports\":[\"set\",[[\"uuid\",\"" + P2 + "\"],[\"uuid\",\"" + P3 + "\"]]]"),
                false));
        assertEquals(Set.of(Uuid.of(P1), Uuid.of(P3)), bridge().getUuidSet("ports"));

        cache.apply(update2(modify("\"ports\":[\"uuid\",\"" + P1 + "\"]"), false));
        assertEquals(Set.of(Uuid.of(P3)), bridge().getUuidSet("ports"));

        cache.apply(update2(modify("\"flood_vlans\":10"), false));
        assertEquals(Set.of(10L), bridge().getLongSet("flood_vlans"));
    }

    @Test
    public void mapDifferenceAddsRemovesAndReplacesKeys() {
        // a: same value, removed; b: other value, replaced; c: absent, added.
        cache.apply(update2(modify("\"external_ids\":[\"map\",[[\"a\",\"1\"],[\"b\",\"20\"],[\"c\",\"3\"]]]"),
                false));

        assertEquals(Map.of("b", "20", "c", "3"), bridge().getStringMap("external_ids"));
    }

    @Test
    public void optionalAndScalarDifferencesAreTheNewValue() {
        cache.apply(update2(modify("\"fail_mode\":\"secure\",\"stp_enable\":true"), false));
        assertEquals(Optional.of("secure"), bridge().getOptionalString("fail_mode"));
        assertTrue(bridge().getBoolean("stp_enable"));

        cache.apply(update2(modify("\"fail_mode\":\"standalone\""), false));
        assertEquals(Optional.of("standalone"), bridge().getOptionalString("fail_mode"));

        cache.apply(update2(modify("\"fail_mode\":[\"set\",[]]"), false));
        assertEquals(Optional.empty(), bridge().getOptionalString("fail_mode"));
    }

    @Test
    public void insertAndDeleteAreReportedWithTheRowsBeforeAndAfter() {
        CacheEvent inserted = cache.apply(update2("{\"Port\":{\"" + P1 + "\":{\"insert\":{\"name\":\"p1\"}}}}", false));
        assertEquals(RowChange.Kind.INSERTED, inserted.changes().get(0).kind());
        assertEquals("p1", cache.row("Port", Uuid.of(P1)).orElseThrow().getString("name"));

        CacheEvent deleted = cache.apply(update2("{\"Port\":{\"" + P1 + "\":{\"delete\":null}}}", false));
        RowChange change = deleted.changes().get(0);
        assertEquals(RowChange.Kind.DELETED, change.kind());
        assertEquals("p1", change.before().orElseThrow().getString("name"));
        assertEquals(Optional.empty(), cache.row("Port", Uuid.of(P1)));
        assertEquals(3, events.size());
    }

    @Test
    public void readersKeepTheirSnapshotWhileTheCacheChanges() {
        Map<Uuid, Row> before = cache.rows("Bridge");

        cache.apply(update2(modify("\"name\":\"br1\""), false));

        assertEquals("br0", before.get(Uuid.of(BR)).getString("name"));
        assertEquals("br1", bridge().getString("name"));
    }

    @Test
    public void anUpdateForARowTheCacheLacksFailsAndLeavesTheContentsUnchanged() {
        Map<Uuid, Row> before = cache.rows("Bridge");
        TableUpdates updates = update2("{\"Bridge\":{\"" + BR + "\":{\"modify\":{\"name\":\"br9\"}},"
                + "\"" + P3 + "\":{\"modify\":{\"name\":\"x\"}}}}", false);

        assertThrows(IllegalStateException.class, () -> cache.apply(updates));
        assertSame(before, cache.rows("Bridge"));
    }

    @Test
    public void resyncReplacesEverythingAndReportsTheDifference() {
        CacheEvent event = cache.replaceAll(DatabaseSchemaTest.schema(), ALL,
                update2("{\"Port\":{\"" + P1 + "\":{\"initial\":{\"name\":\"p1\"}}}}", true));

        assertEquals(CacheEvent.Type.RESYNC, event.type());
        assertEquals(Map.of(), cache.rows("Bridge"));
        assertEquals(List.of(RowChange.Kind.DELETED, RowChange.Kind.INSERTED),
                event.changes().stream().map(RowChange::kind).toList());
    }

    @Test
    public void monitorUpdatesInTheRfcFormatReplaceTheModifiedColumns() {
        TableUpdates updates = TableUpdates.parse(JsonParser.parseString("{\"Bridge\":{\"" + BR + "\":{"
                + "\"old\":{\"external_ids\":[\"map\",[[\"a\",\"1\"],[\"b\",\"2\"]]]},"
                + "\"new\":{\"name\":\"br0\",\"external_ids\":[\"map\",[[\"z\",\"26\"]]]}}}}"),
                TableUpdates.Format.UPDATE, false);

        assertEquals(RowUpdate.Kind.MODIFY, updates.updates().get(0).kind());
        cache.apply(updates);
        assertEquals(Map.of("z", "26"), bridge().getStringMap("external_ids"));
        assertEquals(2, bridge().getUuidSet("ports").size());
    }
}
