package io.netloom.hostnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.Test;

public class HostCommandTest {

    private final HostCommand host = new HostCommand(Duration.ofSeconds(5));

    @Test
    public void argumentsArePassedVerbatimWithoutAShell() {
        CommandResult result = host.run(List.of("echo", "$(id)", ";", "*"));
        assertEquals("$(id) ; *\n", result.stdout());
    }

    @Test
    public void standardInputIsWritten() {
        assertEquals("table inet x\n", host.run(List.of("cat"), "table inet x\n").stdout());
    }

    @Test
    public void aFailureNamesTheCommandItsExitCodeAndStderr() {
        HostCommandException e = assertThrows(HostCommandException.class,
                () -> host.run(List.of("ls", "/no/such/path/netloom")));
        assertEquals(List.of("ls", "/no/such/path/netloom"), e.command());
        assertEquals(2, e.exitCode());
        assertTrue(e.stderr(), e.stderr().contains("No such file"));
        assertTrue(e.getMessage(), e.getMessage().contains("'ls /no/such/path/netloom' exited with 2"));
    }

    @Test
    public void executeReportsANonZeroExitWithoutThrowing() {
        assertEquals(1, host.execute(List.of("false"), null).exitCode());
    }

    @Test
    public void aCommandThatDoesNotEndInTimeIsKilled() {
        HostCommand quick = new HostCommand(Duration.ofMillis(300));
        long start = System.nanoTime();
        HostCommandException e = assertThrows(HostCommandException.class, () -> quick.run(List.of("sleep", "10")));
        assertEquals(HostCommandException.NO_EXIT, e.exitCode());
        assertTrue("killed promptly", System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    public void aMissingProgramIsNamed() {
        HostCommandException e = assertThrows(HostCommandException.class,
                () -> host.run(List.of("netloom-no-such-tool")));
        assertTrue(e.getMessage(), e.getMessage().contains("netloom-no-such-tool is not installed"));
    }
}
