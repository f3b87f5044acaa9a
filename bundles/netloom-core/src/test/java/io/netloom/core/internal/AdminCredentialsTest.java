package io.netloom.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

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
        assertTrue(stored.contains("admin = " + AdminCredentials.hash(password) + ",_g_\\:admingroup"));
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
        assertTrue(Files.readString(users).contains(AdminCredentials.hash("s3cret-Value")));
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
    public void generatedPasswordsDiffer() {
        assertNotEquals(AdminCredentials.generate(), AdminCredentials.generate());
    }

    @Test
    public void hashIsSha512Hex() {
        assertEquals("{CRYPT}ee26b0dd4af7e749aa1a8ee3c10ae9923f618980772e473f8819a5d4940e0db27ac185f8a0e1d5f84f88bc887f"
                + "d67b143732c304cc5fa9ad8e6f57f50028a8ff{CRYPT}", AdminCredentials.hash("test"));
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
}
