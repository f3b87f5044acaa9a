package io.netloom.driver.ovs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.After;
import org.junit.Test;

import io.netloom.api.driver.AddressSetEntry;
import io.netloom.api.driver.PortEntry;
import io.netloom.api.driver.SegmentEntry;

public class JournalFileTest {

    private static final SegmentEntry SEGMENT = new SegmentEntry("n1", "s1", "10.200.1.0/24", "10.200.1.1");
    private static final PortEntry PORT = new PortEntry("p1", "n1", "s1", "10.200.1.5", "02:00:00:00:00:05",
            "10.200.1.1", "netns", "ns1");
    private static final AddressSetEntry MEMBER = new AddressSetEntry("web", "p1", "10.200.1.5");

    private final Path dir;
    private final Path file;

    public JournalFileTest() throws Exception {
        dir = Files.createTempDirectory("nl-journal");
        file = dir.resolve("journal.json");
    }

    @After
    public void tearDown() throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Test
    public void portsKeepTheirOpenFlowPortAndMembersTheirSlotAndTheFileIsTakenOnce() throws Exception {
        List<OvsEngine.Applied> applied = List.of(new OvsEngine.Applied(SEGMENT, Optional.empty()),
                new OvsEngine.Applied(PORT, Optional.of(7)), new OvsEngine.Applied(MEMBER, Optional.of(2)));
        new JournalFile(file).write(applied);
        assertEquals(applied, new JournalFile(file).take());
        assertFalse(Files.exists(file));
        assertEquals(List.of(), new JournalFile(file).take());
    }

    @Test
    public void portsOfAnOlderPipelineLayoutAreNotAdoptedSoTheyAreAppliedAgain() throws Exception {
        // Layout 1 wrote a bare array: its ports' classification skipped the address-set chain.
        Files.writeString(file, "[{\"type\":\"segment\",\"entry\":{\"network\":\"n1\",\"subnet\":\"s1\","
                + "\"cidr\":\"10.200.1.0/24\",\"gateway\":\"10.200.1.1\"}},{\"type\":\"port\",\"entry\":{\"port\":"
                + "\"p1\",\"network\":\"n1\",\"subnet\":\"s1\",\"ip\":\"10.200.1.5\",\"mac\":\"02:00:00:00:00:05\","
                + "\"gateway\":\"10.200.1.1\",\"bindingType\":\"netns\",\"bindingTarget\":\"ns1\"},\"ofport\":7}]");
        assertEquals(List.of(new OvsEngine.Applied(SEGMENT, Optional.empty())), new JournalFile(file).take());
    }
}
