package io.netloom.api.codec;

import java.io.IOException;
import java.time.Instant;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * Builds the Gson instance every Netloom interface uses, so REST and {@code --json} print the same document:
 * camelCase fields as the records name them, instants as ISO-8601 strings, enums by name, no HTML escaping.
 */
public final class JsonCodec {

    private static final Gson GSON = builder().create();
    private static final Gson PRETTY = builder().setPrettyPrinting().create();

    private JsonCodec() {
    }

    /**
     * @return a builder with Netloom's adapters, for callers that need to add their own
     */
    public static GsonBuilder builder() {
        return new GsonBuilder()
                .disableHtmlEscaping()
                .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe());
    }

    /**
     * @return the shared, thread-safe compact instance
     */
    public static Gson gson() {
        return GSON;
    }

    /**
     * @param value any record or collection of records
     * @return its JSON, indented for a person to read
     */
    public static String toPrettyJson(Object value) {
        return PRETTY.toJson(value);
    }

    private static final class InstantAdapter extends TypeAdapter<Instant> {
        @Override
        public void write(JsonWriter out, Instant value) throws IOException {
            out.value(value.toString());
        }

        @Override
        public Instant read(JsonReader in) throws IOException {
            if (in.peek() != JsonToken.STRING) {
                throw new IOException("Expected an ISO-8601 instant string at " + in.getPath());
            }
            return Instant.parse(in.nextString());
        }
    }
}
