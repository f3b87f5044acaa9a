package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    public void componentsStartingAtOnceGetTheSameId() throws Exception {
        Path dir = data.getRoot().toPath();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(pool.submit(() -> InstanceIds.resolve(Optional.empty(), dir)));
            }
            String first = ids.get(0).get();
            for (Future<String> id : ids) {
                assertEquals(first, id.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
