package io.netloom.rest.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Old unsalted password hashes in {@code etc/users.properties} ({@code {CRYPT}} followed by the hexadecimal
 * SHA-512 or SHA-256 digest of the password, as Karaf's basic encryption wrote them) and their upgrade: when a
 * login's password matches such a hash, the user's line is written again with the password hashed the way the realm
 * is now configured (bcrypt), the rest of the line (roles, groups) unchanged. The file is replaced atomically by a
 * copy created 0600, so that no reader sees half a file and no other user can read it at any moment.
 */
final class LegacyHashes {

    private static final Object FILE_LOCK = new Object();
    private static final String CRYPT = "{CRYPT}";
    private static final Pattern LEGACY = Pattern.compile("\\{CRYPT\\}([0-9a-fA-F]{128}|[0-9a-fA-F]{64})\\{CRYPT\\}");
    /** A user line: key (with {@code \:}, {@code \=} escapes), separator, the password, then the roles. */
    private static final Pattern USER_LINE =
            Pattern.compile("^(\\s*)((?:\\\\.|[^\\s=:\\\\])+)(\\s*[=:]\\s*)([^,]*)(.*)$");
    /** The digests of plain Karaf encryption: unsalted, so equal passwords have equal hashes. */
    private static final List<String> UNSALTED = List.of("md2", "md5", "sha-1", "sha1", "sha-256", "sha256",
            "sha-384", "sha384", "sha-512", "sha512");

    private LegacyHashes() {
    }

    /**
     * @param enabled the realm's {@code encryption.enabled}
     * @param algorithm its {@code encryption.algorithm}
     * @return whether the realm is configured to store salted hashes, the only case in which an upgrade is due
     */
    static boolean configuredSalted(Object enabled, Object algorithm) {
        return Boolean.parseBoolean(String.valueOf(enabled)) && algorithm != null
                && !UNSALTED.contains(algorithm.toString().toLowerCase(Locale.ROOT));
    }

    /**
     * @param stored a stored password, as in the users file
     * @param password a login's password
     * @return whether the stored password is an old unsalted hash of this password
     */
    static boolean matchesLegacy(String stored, char[] password) {
        Matcher m = LEGACY.matcher(stored.trim());
        if (!m.matches()) {
            return false;
        }
        String hex = m.group(1).toLowerCase(Locale.ROOT);
        byte[] expected = HexFormat.of().parseHex(hex);
        return MessageDigest.isEqual(expected, digest(hex.length() == 128 ? "SHA-512" : "SHA-256", password));
    }

    private static byte[] digest(String algorithm, char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java runtime", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Upgrades the user's old unsalted hash when the password matches it.
     *
     * @param users the users file
     * @param user the user logging in
     * @param password the login's password
     * @param hasher the password's stored form as the realm is configured now (for example
     *     {@code {CRYPT}hex(bcrypt){CRYPT}})
     * @return whether the user's line was rewritten
     * @throws IOException when the file cannot be read or replaced; it is then unchanged
     */
    static boolean upgrade(Path users, String user, char[] password, Function<String, String> hasher)
            throws IOException {
        synchronized (FILE_LOCK) {
            if (!Files.exists(users)) {
                return false;
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(users, StandardCharsets.ISO_8859_1));
            Optional<Integer> index = lineOf(lines, user);
            if (index.isEmpty()) {
                return false;
            }
            Matcher m = USER_LINE.matcher(lines.get(index.get()));
            if (!m.matches() || !matchesLegacy(m.group(4), password)) {
                return false;
            }
            String hashed = hasher.apply(new String(password));
            if (hashed == null || !hashed.startsWith(CRYPT) || LEGACY.matcher(hashed).matches()) {
                // Never a plain password in the file, and nothing gained by another unsalted hash.
                return false;
            }
            lines.set(index.get(), m.group(1) + m.group(2) + m.group(3) + hashed + m.group(5));
            replace(users, lines);
            return true;
        }
    }

    private static Optional<Integer> lineOf(List<String> lines, String user) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.endsWith("\\")) {
                // A line continued on the next: left as it is.
                continue;
            }
            Matcher m = USER_LINE.matcher(line);
            if (m.matches() && !line.trim().startsWith("#") && !line.trim().startsWith("!")
                    && unescape(m.group(2)).equals(user)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static String unescape(String key) {
        return key.replaceAll("\\\\(.)", "$1");
    }

    private static void replace(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".netloom-upgrade");
        Files.deleteIfExists(tmp);
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] privateMode = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                        "rw-------"))} : new FileAttribute<?>[0];
        Files.createFile(tmp, privateMode);
        try {
            Files.write(tmp, lines, StandardCharsets.ISO_8859_1);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
