package io.netloom.ovsdb.schema;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonParser;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.Test;

public class DatabaseSchemaTest {

    /** A cut-down Open_vSwitch schema with one column of each shape. */
    public static final String SCHEMA = "{\"name\":\"Test\",\"version\":\"1.2.3\",\"tables\":{"
            + "\"Bridge\":{\"isRoot\":true,\"columns\":{"
            + "\"name\":{\"type\":\"string\",\"mutable\":false},"
            + "\"ports\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Port\"},"
            + "\"min\":0,\"max\":\"unlimited\"}},"
            + "\"external_ids\":{\"type\":{\"key\":\"string\",\"value\":\"string\",\"min\":0,\"max\":\"unlimited\"}},"
            + "\"fail_mode\":{\"type\":{\"key\":{\"type\":\"string\",\"enum\":[\"set\",[\"secure\",\"standalone\"]]},"
            + "\"min\":0,\"max\":1}},"
            + "\"datapath_version\":{\"type\":\"string\"},"
            + "\"stp_enable\":{\"type\":\"boolean\"},"
            + "\"flood_vlans\":{\"type\":{\"key\":{\"type\":\"integer\",\"minInteger\":0,\"maxInteger\":4095},"
            + "\"min\":0,\"max\":4096}}}},"
            + "\"Port\":{\"columns\":{\"name\":{\"type\":\"string\"},"
            + "\"bridge\":{\"type\":{\"key\":{\"type\":\"uuid\",\"refTable\":\"Bridge\",\"refType\":\"weak\"}}},"
            + "\"statistics\":{\"type\":{\"key\":\"string\",\"value\":\"integer\",\"min\":0,\"max\":\"unlimited\"},"
            + "\"ephemeral\":true}}}}}";

    public static DatabaseSchema schema() {
        return DatabaseSchema.parse(JsonParser.parseString(SCHEMA));
    }

    @Test
    public void parsesNameVersionTablesAndRootness() {
        DatabaseSchema schema = schema();

        assertEquals("Test", schema.name());
        assertEquals("1.2.3", schema.version());
        assertEquals(Set.of("Bridge", "Port"), schema.tables().keySet());
        assertTrue(schema.requireTable("Bridge").isRoot());
        assertFalse(schema.requireTable("Port").isRoot());
    }

    @Test
    public void parsesColumnTypesWithBoundsAndReferences() {
        DatabaseSchema schema = schema();

        ColumnType ports = schema.requireColumn("Bridge", "ports").type();
        assertEquals(AtomicType.UUID, ports.key().type());
        assertEquals(Optional.of("Port"), ports.key().refTable());
        assertEquals(Optional.of("strong"), ports.key().refType());
        assertEquals(Long.MAX_VALUE, ports.max());
        assertTrue(ports.isComposite());

        ColumnType externalIds = schema.requireColumn("Bridge", "external_ids").type();
        assertTrue(externalIds.isMap());
        assertEquals(Map.of(), externalIds.defaultValue());

        ColumnType failMode = schema.requireColumn("Bridge", "fail_mode").type();
        assertTrue(failMode.isOptional());
        assertFalse(failMode.isComposite());
        assertEquals(Set.of(), failMode.defaultValue());

        assertTrue(schema.requireColumn("Bridge", "stp_enable").type().isScalar());
        assertEquals(false, schema.requireColumn("Bridge", "stp_enable").type().defaultValue());
        assertEquals(4096, schema.requireColumn("Bridge", "flood_vlans").type().max());
        assertFalse(schema.requireColumn("Bridge", "name").mutable());
        assertEquals(Optional.of("weak"), schema.requireColumn("Port", "bridge").type().key().refType());
        assertTrue(schema.requireColumn("Port", "statistics").ephemeral());
        assertTrue(schema.requireTable("Port").column("_uuid").isPresent());
    }

    @Test
    public void unknownTablesAndColumnsAreNamedInTheError() {
        DatabaseSchema schema = schema();

        IllegalArgumentException table = assertThrows(IllegalArgumentException.class,
                () -> schema.requireTable("Interface"));
        assertTrue(table.getMessage().contains("no table 'Interface'"));
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> schema.requireColumn("Bridge", "mtu"));
        assertTrue(column.getMessage().contains("Bridge has no column 'mtu'"));
        assertEquals(Optional.empty(), schema.table("Interface"));
    }
}
