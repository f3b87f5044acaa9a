package io.netloom.ovsdb.operations;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.netloom.ovsdb.notation.Uuid;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.Test;

public class OperationsTest {
    private static final String U1 = "3e708e9a-eef0-4459-8817-7d2922296b0d";

    private static JsonElement json(String text) {
        return JsonParser.parseString(text);
    }

    @Test
    public void insertCarriesTheRowAndTheUuidName() {
        Insert port = Insert.into("Port").withUuidName("port").value("name", "tap0");
        Insert bridge = Insert.into("Bridge").value("name", "br0").value("ports", port.ref())
                .value("external_ids", Map.of("owner", "netloom")).value("fail_mode", Optional.empty());

        assertEquals(json("{\"op\":\"insert\",\"table\":\"Port\",\"row\":{\"name\":\"tap0\"},"
                + "\"uuid-name\":\"port\"}"), port.toJson());
        assertEquals(json("{\"op\":\"insert\",\"table\":\"Bridge\",\"row\":{\"name\":\"br0\","
                + "\"ports\":[\"named-uuid\",\"port\"],\"external_ids\":[\"map\",[[\"owner\",\"netloom\"]]],"
                + "\"fail_mode\":[\"set\",[]]}}"), bridge.toJson());
        assertThrows(IllegalStateException.class, bridge::ref);
    }

    @Test
    public void updateAndMutateAndDeleteRequireAnExplicitWhereClause() {
        assertThrows(IllegalStateException.class, () -> Update.table("Bridge").set("stp_enable", true).toJson());
        assertThrows(IllegalStateException.class, () -> Mutate.table("Bridge").insert("flood_vlans", 1).toJson());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Delete.from("Port").toJson());
        assertTrue(e.getMessage().contains("allRows()"));

        assertEquals(json("{\"op\":\"delete\",\"table\":\"Port\",\"where\":[]}"),
                Delete.from("Port").allRows().toJson());
    }

    @Test
    public void updateEncodesConditionsAndRow() {
        Update update = Update.table("Interface").set("external_ids", Map.of("iface-id", "vm-2"))
                .where(Condition.equal("name", "tap0"), Condition.uuidIs(Uuid.of(U1)));

        assertEquals(json("{\"op\":\"update\",\"table\":\"Interface\",\"where\":[[\"name\",\"==\",\"tap0\"],"
                + "[\"_uuid\",\"==\",[\"uuid\",\"" + U1 + "\"]]],"
                + "\"row\":{\"external_ids\":[\"map\",[[\"iface-id\",\"vm-2\"]]]}}"), update.toJson());
    }

    @Test
    public void mutateEncodesInsertDeleteAndArithmetic() {
        Mutate mutate = Mutate.table("Bridge").where(Condition.equal("name", "br0"))
                .insert("external_ids", Map.of("k", "v"))
                .delete("external_ids", Set.of("old"))
                .add("flood_vlans", 1);

        assertEquals(json("{\"op\":\"mutate\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"br0\"]],"
                + "\"mutations\":[[\"external_ids\",\"insert\",[\"map\",[[\"k\",\"v\"]]]],"
                + "[\"external_ids\",\"delete\",\"old\"],[\"flood_vlans\",\"+=\",1]]}"), mutate.toJson());
    }

    @Test
    public void selectAndCommentEncode() {
        assertEquals(json("{\"op\":\"select\",\"table\":\"Bridge\",\"where\":[[\"ports\",\"includes\","
                        + "[\"uuid\",\"" + U1 + "\"]]],\"columns\":[\"_uuid\",\"name\"]}"),
                Select.from("Bridge").where(Condition.includes("ports", Uuid.of(U1))).columns("_uuid", "name")
                        .toJson());
        assertEquals(json("{\"op\":\"comment\",\"comment\":\"netloom: create br0\"}"),
                Comment.of("netloom: create br0").toJson());
    }

    @Test
    public void waitAbsentIsAnEmptyRowsPrerequisiteWithTimeoutZero() {
        assertEquals(json("{\"op\":\"wait\",\"table\":\"Bridge\",\"where\":[[\"name\",\"==\",\"br0\"]],"
                        + "\"columns\":[\"name\"],\"until\":\"==\",\"rows\":[],\"timeout\":0}"),
                Wait.absent("Bridge", Condition.equal("name", "br0")).toJson());
    }

    @Test
    public void waitEncodesExpectedRowsUntilAndTimeout() {
        Wait wait = Wait.on("Open_vSwitch").allRows().columns("next_cfg").row(Map.of("next_cfg", 3))
                .until(Wait.Until.NOT_EQUAL).timeout(Duration.ofMillis(1500));

        assertEquals(json("{\"op\":\"wait\",\"table\":\"Open_vSwitch\",\"where\":[],\"columns\":[\"next_cfg\"],"
                + "\"until\":\"!=\",\"rows\":[{\"next_cfg\":3}],\"timeout\":1500}"), wait.toJson());
        assertThrows(IllegalStateException.class, () -> Wait.on("Bridge").toJson());
    }

    @Test
    public void operationResultsDecodeUuidRowsCountAndError() {
        OperationResult insert = OperationResult.fromJson(json("{\"uuid\":[\"uuid\",\"" + U1 + "\"]}"));
        OperationResult select = OperationResult.fromJson(json("{\"rows\":[{\"name\":\"br0\"}]}"));
        OperationResult mutate = OperationResult.fromJson(json("{\"count\":2}"));
        OperationResult error = OperationResult.fromJson(
                json("{\"error\":\"timed out\",\"details\":\"\\\"where\\\" clause test failed\"}"));

        assertEquals(Uuid.of(U1), insert.insertedUuid());
        assertEquals("br0", select.rows().get(0).getString("name"));
        assertEquals(Optional.of(2L), mutate.count());
        assertTrue(error.isError());
        assertEquals(Optional.of("\"where\" clause test failed"), error.details());
    }
}
