package io.netloom.api.codec;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

import io.netloom.api.model.Direction;
import io.netloom.api.model.Protocol;
import io.netloom.api.model.Rule;
import io.netloom.api.model.RuleAction;

/**
 * Builds the Gson instance every Netloom interface uses, so REST and {@code --json} print the same document:
 * camelCase fields as the records name them, instants as ISO-8601 strings, enums by name (rule directions,
 * protocols and actions in lower case, as users write them), no HTML escaping.
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
                .registerTypeAdapter(Instant.class, new InstantAdapter().nullSafe())
                .registerTypeAdapter(Direction.class, new LowerCaseEnumAdapter<>(Direction.class).nullSafe())
                .registerTypeAdapter(Protocol.class, new LowerCaseEnumAdapter<>(Protocol.class).nullSafe())
                .registerTypeAdapter(RuleAction.class, new LowerCaseEnumAdapter<>(RuleAction.class).nullSafe())
                .registerTypeAdapter(Rule.class, new RuleAdapter().nullSafe());
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

    /** The API writes rule directions, protocols and actions in lower case, as users type them. */
    private static final class LowerCaseEnumAdapter<E extends Enum<E>> extends TypeAdapter<E> {
        private final Class<E> type;

        LowerCaseEnumAdapter(Class<E> type) {
            this.type = type;
        }

        @Override
        public void write(JsonWriter out, E value) throws IOException {
            out.value(value.name().toLowerCase(Locale.ROOT));
        }

        @Override
        public E read(JsonReader in) throws IOException {
            String text = in.nextString();
            try {
                return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IOException("Unknown " + type.getSimpleName() + " '" + text + "' at " + in.getPath(), e);
            }
        }
    }

    /** A rule's port range is written as the API takes it: {@code "80"} or {@code "8000-8080"}. */
    private static final class RuleAdapter extends TypeAdapter<Rule> {
        @Override
        public void write(JsonWriter out, Rule r) throws IOException {
            out.beginObject();
            out.name("id").value(r.id());
            out.name("direction").value(r.direction().name().toLowerCase(Locale.ROOT));
            out.name("protocol").value(r.protocol().name().toLowerCase(Locale.ROOT));
            if (r.ports() != null) {
                out.name("ports").value(r.ports());
            }
            if (r.remoteCidr() != null) {
                out.name("remoteCidr").value(r.remoteCidr());
            }
            if (r.remoteGroup() != null) {
                out.name("remoteGroup").value(r.remoteGroup());
            }
            out.name("action").value(r.action().name().toLowerCase(Locale.ROOT));
            out.name("priority").value(r.priority());
            out.endObject();
        }

        @Override
        public Rule read(JsonReader in) throws IOException {
            JsonObject o = JsonParser.parseReader(in).getAsJsonObject();
            Integer min = null;
            Integer max = null;
            if (o.has("ports")) {
                String[] range = o.get("ports").getAsString().split("-");
                min = Integer.valueOf(range[0]);
                max = Integer.valueOf(range[range.length - 1]);
            }
            return new Rule(o.get("id").getAsString(),
                    Direction.valueOf(o.get("direction").getAsString().toUpperCase(Locale.ROOT)),
                    Protocol.valueOf(o.get("protocol").getAsString().toUpperCase(Locale.ROOT)), min, max,
                    o.has("remoteCidr") ? o.get("remoteCidr").getAsString() : null,
                    o.has("remoteGroup") ? o.get("remoteGroup").getAsString() : null,
                    RuleAction.valueOf(o.get("action").getAsString().toUpperCase(Locale.ROOT)),
                    o.get("priority").getAsInt());
        }
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
