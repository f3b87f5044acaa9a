package io.netloom.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ClientKeyTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static byte[] readString(DataInputStream in) throws Exception {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }

    @Test
    public void keyPairIsMadeOnceAndBothHalvesMatch() throws Exception {
        Path keys = tmp.getRoot().toPath().resolve("keys.properties");
        Files.write(keys, List.of("_g_\\:admingroup = group,admin,netloom-admin"));
        Path privateKey = tmp.getRoot().toPath().resolve("data/netloom/client.key");
        ClientKey clientKey = new ClientKey(keys, privateKey);

        assertTrue(clientKey.ensure());
        assertFalse("a second start keeps the first key", clientKey.ensure());

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
        String pem = Files.readString(privateKey);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(der));

        String line = Files.readAllLines(keys).get(1);
        assertTrue(line, line.startsWith("admin = ") && line.endsWith(",_g_\\:admingroup"));
        String blob = line.substring("admin = ".length(), line.indexOf(','));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(blob)));
        assertEquals("ssh-rsa", new String(readString(in), StandardCharsets.US_ASCII));
        assertEquals(priv.getPublicExponent(), new BigInteger(readString(in)));
        assertEquals(priv.getModulus(), new BigInteger(readString(in)));
        assertEquals(3072, priv.getModulus().bitLength());
    }
}
