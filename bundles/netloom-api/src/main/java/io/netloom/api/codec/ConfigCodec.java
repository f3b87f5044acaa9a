package io.netloom.api.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

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

/**
 * The JSON form of a node's configuration, as the controller hands it to a node agent: {@code {"node": ID,
 * "revision": N, "entries": [{"kind": KIND, ...the entry's components}]}}. Each entry is its record's components
 * (through {@link JsonCodec}), tagged with its kind; the kinds are listed once, in {@link #KINDS}: a new entry type is
 * one line there.
 */
public final class ConfigCodec {

    /** Entry kind → its record type; the only list of them. */
    public static final Map<String, Class<? extends ConfigEntry>> KINDS = kinds();

    private static final String KIND = "kind";

    private ConfigCodec() {
    }

    private static Map<String, Class<? extends ConfigEntry>> kinds() {
        Map<String, Class<? extends ConfigEntry>> kinds = new LinkedHashMap<>();
        kinds.put("segment", SegmentEntry.class);
        kinds.put("port", PortEntry.class);
        kinds.put("route", RouteEntry.class);
        kinds.put("filter", FilterEntry.class);
        kinds.put("set", AddressSetEntry.class);
        kinds.put("tunnel", TunnelEntry.class);
        kinds.put("remote-port", RemotePortEntry.class);
        return Collections.unmodifiableMap(kinds);
    }

    /**
     * @param entry an entry of a registered kind
     * @return its kind
     * @throws IllegalArgumentException for an entry type no kind names
     */
    public static String kindOf(ConfigEntry entry) {
        for (Map.Entry<String, Class<? extends ConfigEntry>> k : KINDS.entrySet()) {
            if (k.getValue() == entry.getClass()) {
                return k.getKey();
            }
        }
        throw new IllegalArgumentException("No codec kind for " + entry.getClass().getName());
    }

    /**
     * @param revision the model revision the configuration was computed at
     * @param config the configuration
     * @return its JSON document
     */
    public static String write(long revision, NodeConfig config) {
        Gson gson = JsonCodec.gson();
        JsonObject doc = new JsonObject();
        doc.addProperty("node", config.node());
        doc.addProperty("revision", revision);
        JsonArray entries = new JsonArray();
        List<String> keys = new ArrayList<>(config.entries().keySet());
        Collections.sort(keys);
        for (String key : keys) {
            ConfigEntry entry = config.entries().get(key);
            JsonObject e = gson.toJsonTree(entry).getAsJsonObject();
            JsonObject tagged = new JsonObject();
            tagged.addProperty(KIND, kindOf(entry));
            e.entrySet().forEach(m -> tagged.add(m.getKey(), m.getValue()));
            entries.add(tagged);
        }
        doc.add("entries", entries);
        return gson.toJson(doc);
    }

    /**
     * @param json a document {@link #write} wrote
     * @return the configuration with its revision
     * @throws JsonParseException when the document is malformed, names an unknown kind, or an entry lacks a
     *     required component
     */
    public static VersionedConfig read(String json) {
        Gson gson = JsonCodec.gson();
        JsonObject doc;
        try {
            doc = JsonParser.parseString(json).getAsJsonObject();
        } catch (IllegalStateException e) {
            throw new JsonParseException("A node configuration is a JSON object", e);
        }
        String node = required(doc, "node").getAsString();
        long revision = required(doc, "revision").getAsLong();
        List<ConfigEntry> entries = new ArrayList<>();
        for (JsonElement element : required(doc, "entries").getAsJsonArray()) {
            JsonObject e = element.getAsJsonObject();
            String kind = required(e, KIND).getAsString();
            Class<? extends ConfigEntry> type = KINDS.get(kind);
            if (type == null) {
                throw new JsonParseException("Unknown configuration entry kind '" + kind + "'");
            }
            JsonObject fields = e.deepCopy();
            fields.remove(KIND);
            try {
                entries.add(gson.fromJson(fields, type));
            } catch (RuntimeException ex) {
                throw new JsonParseException("Bad '" + kind + "' entry: " + ex.getMessage(), ex);
            }
        }
        return new VersionedConfig(revision, NodeConfig.of(node, entries));
    }

    private static JsonElement required(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || e.isJsonNull()) {
            throw new JsonParseException("Missing '" + name + "'");
        }
        return e;
    }
}
