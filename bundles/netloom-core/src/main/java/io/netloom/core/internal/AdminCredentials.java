package io.netloom.core.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Creates the {@code admin} user on first start, so that no fixed password ever ships.
 *
 * <p>The password comes from {@code NETLOOM_ADMIN_PASSWORD}; when that is unset a random one is generated and
 * written once to {@code data/netloom/admin-password} (mode 0600). Either way only its hash is stored in
 * {@code etc/users.properties} (rewritten with mode 0600), salted and iterated (bcrypt) in the {@code
 * {CRYPT}hex{CRYPT}}
 * form Karaf's properties login module checks with the encryption settings shipped in
 * {@code etc/org.apache.karaf.jaas.cfg} ({@code spring-security-crypto}, {@code bcrypt}, hexadecimal).
 */
final class AdminCredentials {

    static final String USER = "admin";
    static final String GROUP = "_g_:admingroup";
    static final String PASSWORD_ENV = "NETLOOM_ADMIN_PASSWORD";

    private static final Pattern ADMIN_LINE = Pattern.compile("^\\s*admin\\s*[=:].*");
    /** A user (or group) line: its key and the first value, the password. */
    private static final Pattern USER_LINE = Pattern.compile("^\\s*([^#!\\s=:][^=:]*?)\\s*[=:]\\s*([^,]*).*");
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int GENERATED_LENGTH = 24;
    /** Karaf's spring-security-crypto encryption checks with bcrypt's default cost: 2^10 rounds. */
    static final int BCRYPT_LOG_ROUNDS = 10;
    private static final String CRYPT = "{CRYPT}";

    private final Path usersFile;
    private final Path passwordFile;
    private volatile String added;

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
        String line = USER + " = " + hash(password) + "," + GROUP.replace(":", "\\:");
        append(lines, line);
        added = line;
        return given.isPresent() ? Outcome.CREATED_FROM_ENVIRONMENT : Outcome.CREATED_GENERATED;
    }

    /**
     * @return the admin user's line as {@link #ensureAdmin} added it, if it did
     */
    Optional<String> addedLine() {
        return Optional.ofNullable(added);
    }

    /**
     * @return the admin user's line as the users file holds it now, if it holds one
     * @throws IOException when the file cannot be read
     */
    Optional<String> adminLine() throws IOException {
        if (!Files.exists(usersFile)) {
            return Optional.empty();
        }
        return Files.readAllLines(usersFile, StandardCharsets.ISO_8859_1).stream()
                .filter(l -> ADMIN_LINE.matcher(l).matches()).findFirst();
    }

    /**
     * Adds the admin user's line again, unchanged (its password hash included), when the users file has lost it.
     *
     * @param line the line {@link #adminLine()} gave once the admin was added
     * @return whether the line was missing and is back
     * @throws IOException when the file cannot be read or written; nothing is half-written in that case
     */
    boolean restore(String line) throws IOException {
        if (!ADMIN_LINE.matcher(line).matches()) {
            throw new IllegalArgumentException("Not the admin user's line");
        }
        List<String> lines = Files.exists(usersFile)
                ? Files.readAllLines(usersFile, StandardCharsets.ISO_8859_1) : new ArrayList<>();
        if (lines.stream().anyMatch(l -> ADMIN_LINE.matcher(l).matches())) {
            return false;
        }
        append(lines, line);
        return true;
    }

    /**
     * @return the users file as it is now, empty when there is none
     * @throws IOException when the file cannot be read
     */
    String usersText() throws IOException {
        return Files.exists(usersFile) ? Files.readString(usersFile, StandardCharsets.ISO_8859_1) : "";
    }

    /**
     * @return whether the users file holds a password in plain text, which Karaf (with encryption enabled) is about
     *     to replace by its hash, rewriting the whole file
     * @throws IOException when the file cannot be read
     */
    boolean hasPlainPasswords() throws IOException {
        if (!Files.exists(usersFile)) {
            return false;
        }
        for (String line : Files.readAllLines(usersFile, StandardCharsets.ISO_8859_1)) {
            Matcher m = USER_LINE.matcher(line);
            if (m.matches() && !m.group(1).startsWith("_g_") && !m.group(2).startsWith(CRYPT)) {
                return true;
            }
        }
        return false;
    }

    private void append(List<String> lines, String line) throws IOException {
        List<String> updated = new ArrayList<>(lines);
        updated.add(line);
        Path tmp = usersFile.resolveSibling(usersFile.getFileName() + ".netloom-tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.file(tmp);
        Files.write(tmp, updated, StandardCharsets.ISO_8859_1);
        Files.move(tmp, usersFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @param password a clear-text password
     * @return the stored form Karaf's properties login module accepts with the shipped encryption settings
     *     ({@code spring-security-crypto}, {@code bcrypt}, hexadecimal): a bcrypt hash with a random salt and
     *     2^{@value #BCRYPT_LOG_ROUNDS} rounds, its text hex-encoded between {@code {CRYPT}} markers
     */
    static String hash(String password) {
        String bcrypt = BCrypt.hashpw(password, BCrypt.gensalt(BCRYPT_LOG_ROUNDS, new SecureRandom()));
        return CRYPT + HexFormat.of().formatHex(bcrypt.getBytes(StandardCharsets.US_ASCII)) + CRYPT;
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
