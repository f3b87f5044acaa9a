package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class InstanceIdsTest {

    @Rule
    public TemporaryFolder data = new TemporaryFolder();

    @Test
    public void anIdIsGeneratedOnceAndKept() throws Exception {
        Path dir = data.getRoot().toPath();
        String first = InstanceIds.resolve(Optional.empty(), dir);
        assertTrue(first, first.matches("[0-9a-f]{8}"));
        assertEquals(first, Files.readString(dir.resolve(InstanceIds.FILE)).trim());
        assertEquals(first, InstanceIds.resolve(Optional.of(" "), dir));
    }

    @Test
    public void aConfiguredIdWinsAndABadOneIsRefused() {
        Path dir = data.getRoot().toPath();
        assertEquals("lab-2", InstanceIds.resolve(Optional.of("lab-2"), dir));
        assertTrue("nothing written", !Files.exists(dir.resolve(InstanceIds.FILE)));
        assertThrows(IllegalArgumentException.class, () -> InstanceIds.resolve(Optional.of("Lab 2"), dir));
    }
}
