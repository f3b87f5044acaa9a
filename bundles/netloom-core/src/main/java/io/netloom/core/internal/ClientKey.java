package io.netloom.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The local console key: on first start an RSA key pair is made for {@code admin}; its public half goes into
 * {@code etc/keys.properties} and its private half into {@code data/netloom/client.key} (mode 0600), which
 * {@code bin/client} uses so that an operator on the host (who can read that file) logs in without a password.
 */
final class ClientKey {

    private static final Pattern ADMIN_LINE = Pattern.compile("^\\s*admin\\s*[=:].*");
    private static final int BITS = 3072;

    private final Path keysFile;
    private final Path privateKeyFile;

    ClientKey(Path keysFile, Path privateKeyFile) {
        this.keysFile = keysFile;
        this.privateKeyFile = privateKeyFile;
    }

    /**
     * Makes the key pair unless {@code keys.properties} already names an admin key.
     *
     * @return whether a key pair was made
     * @throws IOException when a file cannot be read or written
     */
    boolean ensure() throws IOException {
        List<String> lines = Files.exists(keysFile)
                ? Files.readAllLines(keysFile, StandardCharsets.ISO_8859_1) : new ArrayList<>();
        if (lines.stream().anyMatch(l -> ADMIN_LINE.matcher(l).matches())) {
            return false;
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(BITS);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA key generation is required of every Java runtime", e);
        }
        Files.createDirectories(privateKeyFile.getParent());
        Files.deleteIfExists(privateKeyFile);
        Files.createFile(privateKeyFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateKeyFile, pem(pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);

        List<String> updated = new ArrayList<>(lines);
        updated.add(AdminCredentials.USER + " = " + sshPublicKey((RSAPublicKey) pair.getPublic()) + ","
                + AdminCredentials.GROUP.replace(":", "\\:"));
        Path tmp = keysFile.resolveSibling(keysFile.getFileName() + ".netloom-tmp");
        Files.write(tmp, updated, StandardCharsets.ISO_8859_1);
        Files.move(tmp, keysFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /** PKCS#8 in PEM armour, which the Karaf client reads without extra providers. */
    static String pem(byte[] pkcs8) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8);
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** The key blob of an OpenSSH {@code ssh-rsa} public key (RFC 4253, section 6.6), base64 encoded. */
    static String sshPublicKey(RSAPublicKey key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            writeString(out, key.getPublicExponent().toByteArray());
            writeString(out, key.getModulus().toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static void writeString(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }
}
