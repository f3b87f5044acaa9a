package io.netloom.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.springframework.security.crypto.bcrypt.BCrypt;

public class AdminCredentialsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path users() throws Exception {
        Path users = tmp.getRoot().toPath().resolve("users.properties");
        Files.write(users, List.of("# users", "_g_\\:admingroup = group,admin,netloom-admin"));
        return users;
    }

    @Test
    public void generatedPasswordIsWrittenOnceWith0600AndOnlyItsHashIsStored() throws Exception {
        Path users = users();
        Path pw = tmp.getRoot().toPath().resolve("data/netloom/admin-password");
        AdminCredentials credentials = new AdminCredentials(users, pw);

        assertEquals(AdminCredentials.Outcome.CREATED_GENERATED, credentials.ensureAdmin(Optional.empty()));

        String password = Files.readString(pw).trim();
        assertEquals(24, password.length());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pw)));
        String stored = Files.readString(users, StandardCharsets.ISO_8859_1);
        assertFalse("clear-text password must not be stored", stored.contains(password));
        assertTrue(matches(password, storedHash(stored)));
        assertTrue("existing lines are kept", stored.contains("_g_\\:admingroup = group"));
    }

    @Test
    public void passwordFromEnvironmentIsUsedAndNoFileIsWritten() throws Exception {
        Path users = users();
        Path pw = tmp.getRoot().toPath().resolve("data/netloom/admin-password");
        AdminCredentials credentials = new AdminCredentials(users, pw);

        assertEquals(AdminCredentials.Outcome.CREATED_FROM_ENVIRONMENT,
                credentials.ensureAdmin(Optional.of("s3cret-Value")));

        assertFalse(Files.exists(pw));
        assertTrue(matches("s3cret-Value", storedHash(Files.readString(users))));
    }

    @Test
    public void secondStartChangesNothing() throws Exception {
        Path users = users();
        Path pw = tmp.getRoot().toPath().resolve("data/netloom/admin-password");
        AdminCredentials credentials = new AdminCredentials(users, pw);
        credentials.ensureAdmin(Optional.empty());
        String before = Files.readString(users);
        String password = Files.readString(pw);

        assertEquals(AdminCredentials.Outcome.ALREADY_PRESENT, credentials.ensureAdmin(Optional.of("other")));

        assertEquals(before, Files.readString(users));
        assertEquals(password, Files.readString(pw));
    }

    @Test
    public void aLostAdminLineIsRestoredUnchangedAndAPresentOneIsLeftAlone() throws Exception {
        Path users = users();
        AdminCredentials credentials = new AdminCredentials(users, tmp.getRoot().toPath().resolve("pw"));
        credentials.ensureAdmin(Optional.of("s3cret-Pw"));
        String line = credentials.addedLine().orElseThrow();
        assertEquals(Optional.of(line), credentials.adminLine());
        assertFalse("already there", credentials.restore(line));
        // Karaf writes back an older copy that lacks the admin, with a user it hashed meanwhile.
        List<String> older = List.of("# users", "_g_\\:admingroup = group,admin,netloom-admin",
                "bob = {CRYPT}ab{CRYPT}");
        Files.write(users, older);
        assertTrue(credentials.restore(line));
        List<String> lines = Files.readAllLines(users, StandardCharsets.ISO_8859_1);
        assertEquals(older, lines.subList(0, 3));
        assertEquals(List.of(line), lines.subList(3, lines.size()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        assertTrue(matches("s3cret-Pw", storedHash(Files.readString(users, StandardCharsets.ISO_8859_1))));
    }

    @Test
    public void generatedPasswordsDiffer() {
        assertNotEquals(AdminCredentials.generate(), AdminCredentials.generate());
    }

    @Test
    public void hashesAreSaltedBcryptInKarafsHexForm() {
        String first = AdminCredentials.hash("test");
        String second = AdminCredentials.hash("test");
        assertNotEquals("a random salt each time", first, second);
        String bcrypt = new String(HexFormat.of().parseHex(first.substring(7, first.length() - 7)),
                StandardCharsets.US_ASCII);
        assertTrue(bcrypt, bcrypt.startsWith("$2a$10$") && bcrypt.length() == 60);
        assertTrue(matches("test", first));
        assertTrue(matches("test", second));
        assertFalse(matches("Test", first));
        assertFalse("an old unsalted SHA-512 hash is no bcrypt hash", matches("test",
                "{CRYPT}ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887f"
                + "d67b143732c304cc5fa9ad8e6f57f50028a8ff{CRYPT}"));
    }

    /** Checks as Karaf's spring-security-crypto encryption does, with bcrypt and hexadecimal encoding. */
    private static boolean matches(String password, String stored) {
        String hex = stored.substring("{CRYPT}".length(), stored.length() - "{CRYPT}".length());
        try {
            return BCrypt.checkpw(password, new String(HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException notBcrypt) {
            return false;
        }
    }

    /** The hash of the admin line of a users file. */
    private static String storedHash(String usersFile) {
        for (String line : usersFile.split("\n")) {
            if (line.startsWith("admin = ")) {
                return line.substring("admin = ".length(), line.indexOf(','));
            }
        }
        throw new AssertionError("no admin line in " + usersFile);
    }

    @Test
    public void theUsersFileIsRewrittenWith0600() throws Exception {
        Path users = users();
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));
        Path pw = tmp.getRoot().toPath().resolve("data/netloom/admin-password");
        new AdminCredentials(users, pw).ensureAdmin(Optional.empty());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pw.getParent())));
    }

    @Test
    public void plainPasswordsKarafIsAboutToHashAreNoticed() throws Exception {
        Path users = users();
        AdminCredentials credentials = new AdminCredentials(users, tmp.getRoot().toPath().resolve("pw"));
        assertFalse("group lines and comments are no passwords", credentials.hasPlainPasswords());
        Files.writeString(users, "bob = {CRYPT}2432{CRYPT},netloom-viewer\n", StandardOpenOption.APPEND);
        assertFalse(credentials.hasPlainPasswords());
        Files.writeString(users, "carol = secret,netloom-viewer\n", StandardOpenOption.APPEND);
        assertTrue(credentials.hasPlainPasswords());
    }
}
