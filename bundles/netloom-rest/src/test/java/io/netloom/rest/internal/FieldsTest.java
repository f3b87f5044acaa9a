package io.netloom.rest.internal;

import static io.netloom.rest.internal.StrictJsonTest.refusal;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * {@link Fields}: typed reads of a body's fields, each refusal a 400 naming the field by its path.
 */
public class FieldsTest {

    private static Fields of(String json) {
        return Fields.of(StrictJson.parse(json));
    }

    @Test
    public void fieldsAreReadByType() {
        Fields f = of("{\"name\":\"web\",\"n\":3,\"on\":false,\"tags\":[\"a\",\"b\"],\"b\":{\"type\":\"netns\"},"
                + "\"gone\":null}");
        assertEquals("web", f.requiredString("name"));
        assertEquals(Integer.valueOf(3), f.integer("n"));
        assertFalse(f.bool("on", true));
        assertEquals(List.of("a", "b"), f.strings("tags"));
        assertEquals("netns", f.object("b").requiredString("type"));
        assertNull("null reads as absent", f.string("gone"));
        assertNull(f.integer("absent"));
    }

    @Test
    public void aWrongTypeOrAMissingFieldIsNamed() {
        Fields f = of("{\"name\":5,\"n\":2.5,\"big\":3000000000,\"on\":\"yes\",\"tags\":[\"a\",1],\"b\":{\"t\":1}}");
        ApiError e = refusal(400, () -> f.string("name"));
        assertEquals(List.of("INVALID_TYPE", "name"), List.of(e.code(), e.field()));
        assertEquals("n", refusal(400, () -> f.integer("n")).field());
        assertEquals("big", refusal(400, () -> f.integer("big")).field());
        assertEquals("on", refusal(400, () -> f.bool("on", false)).field());
        assertEquals("tags[1]", refusal(400, () -> f.strings("tags")).field());
        assertEquals("b.t", refusal(400, () -> f.object("b").string("t")).field());
        ApiError missing = refusal(400, () -> f.requiredString("absent"));
        assertEquals(List.of("REQUIRED", "absent"), List.of(missing.code(), missing.field()));
    }

    @Test
    public void arraysOfObjectsAreReadWithEachElementsPath() {
        Fields f = of("{\"pairs\":[{\"ip\":\"10.2.0.0/16\"},{\"ip\":\"10.3.0.1\",\"mac\":\"02:00:00:00:00:01\"}],"
                + "\"bad\":[{\"ip\":\"x\",\"colour\":1}],\"flat\":[\"a\"],\"none\":null}");
        assertEquals(List.of("10.2.0.0/16 null", "10.3.0.1 02:00:00:00:00:01"), f.objects("pairs",
                p -> p.only("ip", "mac").requiredString("ip") + " " + p.string("mac")));
        ApiError unknown = refusal(400, () -> f.objects("bad", p -> p.only("ip")));
        assertEquals(List.of("UNKNOWN_FIELD", "bad[0].colour"), List.of(unknown.code(), unknown.field()));
        assertEquals("flat[0]", refusal(400, () -> f.objects("flat", p -> p)).field());
        assertNull(f.objects("none", p -> p));
        assertNull(f.objects("absent", p -> p));
    }

    @Test
    public void unknownAndReadOnlyFieldsAreRefused() {
        ApiError unknown = refusal(400, () -> of("{\"name\":\"a\",\"colour\":\"red\"}").only("name"));
        assertEquals(List.of("UNKNOWN_FIELD", "colour"), List.of(unknown.code(), unknown.field()));
        ApiError readOnly = refusal(400, () -> of("{\"name\":\"a\",\"id\":\"x\"}").only("name"));
        assertEquals(List.of("READ_ONLY_FIELD", "id"), List.of(readOnly.code(), readOnly.field()));
        assertEquals("INVALID_TYPE", refusal(400, () -> Fields.of(StrictJson.parse("[1]"))).code());
    }

    @Test
    public void longStringsAreRefused() {
        String big = "x".repeat(5000);
        assertEquals("TOO_LONG", refusal(400, () -> of("{\"name\":\"" + big + "\"}").string("name")).code());
    }

    @Test
    public void theElementsOfAnArrayAreNamedByTheirPosition() {
        List<String> names = Fields.items(StrictJson.parse("[{\"name\":\"a\"},{\"name\":\"b\"}]").getAsJsonArray(),
                f -> f.requiredString("name"));
        assertEquals(List.of("a", "b"), names);
        ApiError e = refusal(400, () -> Fields.items(StrictJson.parse("[{\"name\":\"a\"},{}]").getAsJsonArray(),
                f -> f.requiredString("name")));
        assertEquals(List.of("REQUIRED", "[1].name"), List.of(e.code(), e.field()));
        assertEquals("[0]", refusal(400, () -> Fields.items(StrictJson.parse("[7]").getAsJsonArray(),
                f -> f.requiredString("name"))).field());
    }

    @Test
    public void aMapOfStringsIsReadAndBadMembersAreNamed() {
        Fields f = of("{\"failures\":{\"port:p1\":\"no namespace\",\"set:s:p2\":\"x\"},\"bad\":{\"k\":1},"
                + "\"many\":{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}}");
        assertEquals(Map.of("port:p1", "no namespace", "set:s:p2", "x"), f.stringMap("failures", 10));
        assertEquals(Map.of(), f.stringMap("absent", 10));
        assertEquals("bad.k", refusal(400, () -> f.stringMap("bad", 10)).field());
        assertEquals("TOO_LONG", refusal(400, () -> f.stringMap("many", 2)).code());
    }
}
