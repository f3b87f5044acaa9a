package io.netloom.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates the {@code admin} user on first start, so that no fixed password ever ships.
 *
 * <p>The password comes from {@code NETLOOM_ADMIN_PASSWORD}; when that is unset a random one is generated and
 * written once to {@code data/netloom/admin-password} (mode 0600). Either way only its hash is stored in
 * {@code etc/users.properties} (rewritten with mode 0600), in the {@code {CRYPT}hex{CRYPT}} form Karaf's properties login module checks with
 * the encryption settings shipped in {@code etc/org.apache.karaf.jaas.cfg} (SHA-512, hexadecimal).
 */
final class AdminCredentials {

    static final String USER = "admin";
    static final String GROUP = "_g_:admingroup";
    static final String PASSWORD_ENV = "NETLOOM_ADMIN_PASSWORD";

    private static final Pattern ADMIN_LINE = Pattern.compile("^\\s*admin\\s*[=:].*");
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int GENERATED_LENGTH = 24;

    private final Path usersFile;
    private final Path passwordFile;

    AdminCredentials(Path usersFile, Path passwordFile) {
        this.usersFile = usersFile;
        this.passwordFile = passwordFile;
    }

    /** What {@link #ensureAdmin} did. */
    enum Outcome { ALREADY_PRESENT, CREATED_FROM_ENVIRONMENT, CREATED_GENERATED }

    /**
     * Adds the admin user unless {@code users.properties} already has one.
     *
     * @param fromEnvironment the value of {@code NETLOOM_ADMIN_PASSWORD}, empty when unset
     * @return what was done
     * @throws IOException when a file cannot be read or written; nothing is half-written in that case
     */
    Outcome ensureAdmin(Optional<String> fromEnvironment) throws IOException {
        List<String> lines = Files.exists(usersFile)
                ? Files.readAllLines(usersFile, StandardCharsets.ISO_8859_1) : new ArrayList<>();
        if (lines.stream().anyMatch(l -> ADMIN_LINE.matcher(l).matches())) {
            return Outcome.ALREADY_PRESENT;
        }
        Optional<String> given = fromEnvironment.filter(p -> !p.isEmpty());
        String password = given.orElseGet(AdminCredentials::generate);
        if (given.isEmpty()) {
            writeOnce(passwordFile, password);
        }
        List<String> updated = new ArrayList<>(lines);
        updated.add(USER + " = " + hash(password) + "," + GROUP.replace(":", "\\:"));
        Path tmp = usersFile.resolveSibling(usersFile.getFileName() + ".netloom-tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.file(tmp);
        Files.write(tmp, updated, StandardCharsets.ISO_8859_1);
        Files.move(tmp, usersFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return given.isPresent() ? Outcome.CREATED_FROM_ENVIRONMENT : Outcome.CREATED_GENERATED;
    }

    /**
     * @param password a clear-text password
     * @return the stored form Karaf's properties login module accepts
     */
    static String hash(String password) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            byte[] digest = md.digest(password.getBytes(StandardCharsets.UTF_8));
            return "{CRYPT}" + HexFormat.of().formatHex(digest) + "{CRYPT}";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required of every Java runtime", e);
        }
    }

    static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static void writeOnce(Path file, String password) throws IOException {
        PrivateFiles.directory(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PrivateFiles.FILE));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Refusing to overwrite " + file + ": it belongs to an earlier admin user", e);
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }
}
