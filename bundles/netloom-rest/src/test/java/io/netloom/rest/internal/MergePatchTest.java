package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.Test;

public class MergePatchTest {

    private static MergePatch patch(String json) {
        return MergePatch.of(StrictJson.parse(json), Set.of("driver"), "name", "description", "cidrs", "flag");
    }

    private static void assertRefused(String code, String field, String json, String read) {
        ApiException e = assertThrows(ApiException.class, () -> {
            MergePatch p = patch(json);
            switch (read) {
                case "name" -> p.string("name");
                case "cidrs" -> p.strings("cidrs");
                case "flag" -> p.bool("flag");
                default -> { }
            }
        });
        ApiError error = (ApiError) e.toResponse().body();
        assertEquals(400, e.toResponse().status());
        assertEquals(code, error.code());
        assertEquals(field, error.field());
    }

    @Test
    public void aFieldLeftOutStaysAndAGivenOneIsSet() {
        MergePatch p = patch("{\"cidrs\": [\"10.1.0.0/16\"], \"flag\": true}");
        assertEquals(Optional.empty(), p.string("name"));
        assertEquals(Optional.empty(), p.removableString("description"));
        assertEquals(Optional.of(List.of("10.1.0.0/16")), p.strings("cidrs"));
        assertEquals(Optional.of(true), p.bool("flag"));
    }

    @Test
    public void nullRemovesAnOptionalValueAndIsRefusedForARequiredOne() {
        assertEquals(Optional.of(""), patch("{\"description\": null}").removableString("description"));
        assertRefused("REQUIRED", "name", "{\"name\": null}", "name");
        assertRefused("REQUIRED", "cidrs", "{\"cidrs\": null}", "cidrs");
        assertRefused("REQUIRED", "flag", "{\"flag\": null}", "flag");
    }

    @Test
    public void immutableReadOnlyUnknownAndMistypedFieldsAreRefusedWithTheirField() {
        assertRefused("IMMUTABLE_FIELD", "driver", "{\"driver\": \"ovs\"}", "");
        assertRefused("READ_ONLY_FIELD", "id", "{\"id\": \"net-1\"}", "");
        assertRefused("UNKNOWN_FIELD", "colour", "{\"colour\": \"red\"}", "");
        assertRefused("INVALID_TYPE", "flag", "{\"flag\": \"yes\"}", "flag");
        assertRefused("INVALID_TYPE", null, "[]", "");
    }
}
