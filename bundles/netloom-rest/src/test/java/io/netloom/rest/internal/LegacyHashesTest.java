package io.netloom.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.springframework.security.crypto.bcrypt.BCrypt;

public class LegacyHashesTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** The configured salted form, as Karaf's spring-security-crypto encryption writes it (hex-encoded bcrypt). */
    private static final Function<String, String> BCRYPT_HEX = plain -> "{CRYPT}" + HexFormat.of().formatHex(
            BCrypt.hashpw(plain, BCrypt.gensalt(4)).getBytes(StandardCharsets.US_ASCII)) + "{CRYPT}";

    private static String sha(String algorithm, String password) throws Exception {
        return "{CRYPT}" + HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                .digest(password.getBytes(StandardCharsets.UTF_8))) + "{CRYPT}";
    }

    private Path users(String... lines) throws Exception {
        Path file = folder.getRoot().toPath().resolve("users.properties");
        Files.write(file, List.of(lines), StandardCharsets.ISO_8859_1);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    private static String passwordOf(Path file, String user) throws Exception {
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith(user + " = ")) {
                return line.substring(user.length() + 3).split(",")[0];
            }
        }
        throw new AssertionError("no line for " + user);
    }

    @Test
    public void anOldSha512HashIsUpgradedToBcryptAtTheRightPasswordKeepingTheRestOfTheFile() throws Exception {
        Path file = users("# users", "alice = " + sha("SHA-512", "s3cret-A") + ",netloom-user,netloom-tenant-red",
                "bob = " + sha("SHA-512", "bobs-Pw") + ",_g_:viewergroup", "_g_\\:viewergroup = group,netloom-viewer");
        assertTrue(LegacyHashes.upgrade(file, "alice", "s3cret-A".toCharArray(), BCRYPT_HEX));
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        assertEquals(4, lines.size());
        assertEquals("# users", lines.get(0));
        assertTrue(lines.get(1), lines.get(1).endsWith(",netloom-user,netloom-tenant-red"));
        String stored = passwordOf(file, "alice");
        String bcrypt = new String(HexFormat.of().parseHex(stored.substring(7, stored.length() - 7)),
                StandardCharsets.US_ASCII);
        assertTrue(bcrypt, BCrypt.checkpw("s3cret-A", bcrypt));
        assertEquals("bob's line is untouched", sha("SHA-512", "bobs-Pw"), passwordOf(file, "bob"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse("no copy left behind", Files.exists(file.resolveSibling("users.properties.netloom-upgrade")));
        // Once upgraded there is nothing more to do.
        assertFalse(LegacyHashes.upgrade(file, "alice", "s3cret-A".toCharArray(), BCRYPT_HEX));
    }

    @Test
    public void aWrongPasswordAnUnknownUserOrASaltedHashChangeNothing() throws Exception {
        String salted = BCRYPT_HEX.apply("carols-Pw");
        Path file = users("alice = " + sha("SHA-512", "s3cret-A") + ",netloom-admin",
                "carol = " + salted + ",netloom-viewer", "dave = " + sha("SHA-256", "daves-Pw") + ",netloom-viewer");
        String before = Files.readString(file, StandardCharsets.ISO_8859_1);
        assertFalse(LegacyHashes.upgrade(file, "alice", "guess".toCharArray(), BCRYPT_HEX));
        assertFalse(LegacyHashes.upgrade(file, "mallory", "s3cret-A".toCharArray(), BCRYPT_HEX));
        assertFalse(LegacyHashes.upgrade(file, "carol", "carols-Pw".toCharArray(), BCRYPT_HEX));
        assertFalse("never a plain password in the file",
                LegacyHashes.upgrade(file, "alice", "s3cret-A".toCharArray(), plain -> plain));
        assertEquals(before, Files.readString(file, StandardCharsets.ISO_8859_1));
        // SHA-256, Karaf's older default, is upgraded too.
        assertTrue(LegacyHashes.upgrade(file, "dave", "daves-Pw".toCharArray(), BCRYPT_HEX));
    }

    @Test
    public void anUpgradeIsDueOnlyWhenTheRealmIsConfiguredSalted() {
        assertTrue(LegacyHashes.configuredSalted("true", "bcrypt"));
        assertTrue(LegacyHashes.configuredSalted("true", "pbkdf2"));
        assertFalse(LegacyHashes.configuredSalted("true", "SHA-512"));
        assertFalse(LegacyHashes.configuredSalted("false", "bcrypt"));
        assertFalse(LegacyHashes.configuredSalted("true", null));
    }

    @Test
    public void theOldHashIsComparedAsTheDigestOfThePassword() throws Exception {
        assertTrue(LegacyHashes.matchesLegacy(sha("SHA-512", "pw").toUpperCase().replace("{CRYPT}", "{CRYPT}"),
                "pw".toCharArray()));
        assertFalse(LegacyHashes.matchesLegacy(sha("SHA-512", "pw"), "pw2".toCharArray()));
        assertFalse(LegacyHashes.matchesLegacy("plain", "plain".toCharArray()));
    }
}
