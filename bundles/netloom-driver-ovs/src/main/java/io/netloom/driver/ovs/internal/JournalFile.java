package io.netloom.driver.ovs.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.ConfigEntry;
import io.netloom.api.driver.FilterEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.RemotePortEntry;
import io.netloom.api.driver.RouteEntry;
import io.netloom.api.driver.SegmentEntry;
import io.netloom.api.driver.TunnelEntry;

/**
 * Keeps the {@link OvsEngine}'s journal across a restart of the driver (a bundle update, a Netloom restart) in the
 * bundle's data area. It is a hint, checked against the switch: a missing or unreadable file only costs a re-apply.
 * It records the {@link Pipeline#LAYOUT pipeline layout} it was written under (a file without one is of layout 1):
 * ports of an older layout are not adopted, so they are applied again with the current flows.
 */
final class JournalFile {

    private static final Logger LOG = LoggerFactory.getLogger(JournalFile.class);
    private static final Gson GSON = new Gson();

    private final Path file;

    JournalFile(Path file) {
        this.file = file;
    }

    /**
     * Writes the journal, replacing the file atomically.
     *
     * @param applied the entries
     * @throws IOException when it cannot be written
     */
    void write(List<OvsEngine.Applied> applied) throws IOException {
        JsonArray all = new JsonArray();
        for (OvsEngine.Applied a : applied) {
            JsonObject line = new JsonObject();
            line.addProperty("type", type(a.entry()));
            line.add("entry", GSON.toJsonTree(a.entry()));
            a.placement().ifPresent(p -> line.addProperty(a.entry() instanceof AddressSetEntry ? "slot" : "ofport", p));
            all.add(line);
        }
        JsonObject journal = new JsonObject();
        journal.addProperty("layout", Pipeline.LAYOUT);
        journal.add("entries", all);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            GSON.toJson(journal, out);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads the journal and deletes the file, so that a journal is never adopted twice.
     *
     * @return the entries, empty when there is no readable file
     */
    List<OvsEngine.Applied> take() {
        List<OvsEngine.Applied> applied = new ArrayList<>();
        if (!Files.exists(file)) {
            return applied;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement journal = JsonParser.parseReader(in);
            int layout = journal.isJsonArray() ? 1 : journal.getAsJsonObject().get("layout").getAsInt();
            JsonArray lines = journal.isJsonArray() ? journal.getAsJsonArray()
                    : journal.getAsJsonObject().getAsJsonArray("entries");
            int stale = 0;
            for (JsonElement element : lines) {
                JsonObject line = element.getAsJsonObject();
                ConfigEntry entry = GSON.fromJson(line.get("entry"), type(line.get("type").getAsString()));
                if (layout < Pipeline.LAYOUT && entry instanceof PortEntry) {
                    stale++;
                    continue;
                }
                String placement = line.has("slot") ? "slot" : "ofport";
                applied.add(new OvsEngine.Applied(entry, line.has(placement)
                        ? Optional.of(line.get(placement).getAsInt()) : Optional.empty()));
            }
            if (stale > 0) {
                LOG.info("The journal was written for pipeline layout {}; its {} port(s) will be applied again for "
                        + "layout {}", layout, stale, Pipeline.LAYOUT);
            }
        } catch (IOException | JsonParseException | IllegalStateException | NullPointerException e) {
            // A hint only: the switch is read anyway, and what the journal no longer names is re-applied.
            LOG.warn("Ignoring the unreadable journal {}: {}", file, e.toString());
            applied.clear();
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot delete " + file, e);
        }
        return applied;
    }

    private static String type(ConfigEntry entry) {
        if (entry instanceof SegmentEntry) {
            return "segment";
        } else if (entry instanceof PortEntry) {
            return "port";
        } else if (entry instanceof RouteEntry) {
            return "route";
        } else if (entry instanceof AddressSetEntry) {
            return "member";
        } else if (entry instanceof TunnelEntry) {
            return "tunnel";
        } else if (entry instanceof RemotePortEntry) {
            return "remote";
        }
        return "filter";
    }

    private static Class<? extends ConfigEntry> type(String name) {
        return switch (name) {
            case "segment" -> SegmentEntry.class;
            case "port" -> PortEntry.class;
            case "route" -> RouteEntry.class;
            case "filter" -> FilterEntry.class;
            case "member" -> AddressSetEntry.class;
            case "tunnel" -> TunnelEntry.class;
            case "remote" -> RemotePortEntry.class;
            default -> throw new JsonParseException("Unknown entry type " + name);
        };
    }
}
