package io.netloom.hostnet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The id of this Netloom instance, which every data-plane object a driver creates carries (with its node), so that
 * two instances on one host, or two nodes in host namespaces sharing a kernel, never read, repair or delete each
 * other's objects. Configured, or generated once and kept in {@code data/netloom/instance-id}.
 */
public final class InstanceIds {

    /** What an instance id looks like: it goes into device aliases, nft comments and OVSDB external ids. */
    public static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    /** The file, under Karaf's data directory, that keeps a generated id. */
    public static final String FILE = "netloom/instance-id";

    private InstanceIds() {
    }

    /**
     * @param configured the id an administrator configured, empty or blank for none
     * @param dataDirectory Karaf's data directory ({@code karaf.data}), where a generated id is kept
     * @return the configured id, else the kept one, else a new one (8 hexadecimal digits), written there first
     * @throws IllegalArgumentException for a configured id that is not {@link #VALID}, or a kept file that is not
     * @throws IllegalStateException when the file cannot be read or written
     */
    public static String resolve(Optional<String> configured, Path dataDirectory) {
        Optional<String> given = configured.map(String::trim).filter(s -> !s.isEmpty());
        if (given.isPresent()) {
            return requireValid(given.get(), "instance.id");
        }
        Path file = dataDirectory.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] bytes = new byte[4];
                new SecureRandom().nextBytes(bytes);
                // Written whole beside it, then linked into place: a reader never sees it half written, and of two
                // components starting at once only the first link succeeds.
                Path written = Files.createTempFile(file.getParent(), "instance-id", ".tmp");
                try {
                    Files.writeString(written, HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.US_ASCII,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    Files.createLink(file, written);
                } catch (FileAlreadyExistsException raced) {
                    // Another component kept one first: its id is the instance's.
                } finally {
                    Files.deleteIfExists(written);
                }
            }
            return requireValid(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot keep the instance id in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param id an instance id
     * @param where where it comes from, for the error
     * @return the id
     * @throws IllegalArgumentException when it is not {@link #VALID}
     */
    public static String requireValid(String id, String where) {
        if (!VALID.matcher(id).matches()) {
            throw new IllegalArgumentException("An instance id is 1-32 lower-case letters, digits or '-', starting "
                    + "with a letter or digit; " + where + " has '" + id + "'");
        }
        return id;
    }
}
