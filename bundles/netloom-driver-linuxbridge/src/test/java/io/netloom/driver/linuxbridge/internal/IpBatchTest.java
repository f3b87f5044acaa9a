package io.netloom.driver.linuxbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.netloom.hostnet.CommandResult;

public class IpBatchTest {

    /** What the fake ip was asked: each command line with its standard input. */
    private final List<String> calls = new ArrayList<>();

    private CommandResult answer(List<String> argv, String stdin, int exit, String stdout, String stderr) {
        calls.add(String.join(" ", argv) + (stdin == null ? "" : " <<" + stdin));
        return new CommandResult(argv, exit, stdout, stderr);
    }

    @Test
    public void aliasesGoQuotedAndAnythingElseRunsOnItsOwn() {
        Map<Integer, String> failures = IpBatch.write((argv, stdin) -> answer(argv, stdin, 0, "", ""), "nlr1",
                List.of(List.of("link", "set", "dev", "nlh1", "alias",
                        "netloom port p-1 - - 10.200.1.5 02:00:00:00:00:01"),
                        List.of("link", "set", "dev", "nlh2", "alias", "it's \"quoted\" # not a comment"),
                        List.of("link", "set", "dev", "nlh3", "up")));
        assertEquals(Map.of(), failures);
        assertEquals(List.of(
                "ip -n nlr1 link set dev nlh2 alias it's \"quoted\" # not a comment",
                "ip -n nlr1 -force -batch - <<link set dev nlh1 alias \"netloom port p-1 - - 10.200.1.5 "
                        + "02:00:00:00:00:01\"\nlink set dev nlh3 up\n"), calls);
    }

    @Test
    public void failuresAreTracedToTheirLinesWithTheirReasons() {
        String stderr = "Cannot find device \"nlh2\"\nCommand failed -:2\nRTNETLINK answers: File exists\n"
                + "Command failed -:3\n";
        Map<Integer, String> failures = IpBatch.write((argv, stdin) -> answer(argv, stdin, 1, "", stderr), "nlr1",
                List.of(List.of("link", "set", "dev", "nlh1", "up"), List.of("link", "set", "dev", "nlh2", "up"),
                        List.of("link", "add", "name", "nlh3", "type", "veth", "peer", "name", "nlp3")));
        assertEquals(List.of(1, 2), List.copyOf(failures.keySet()));
        assertTrue(failures.get(1), failures.get(1).contains("Cannot find device \"nlh2\""));
        assertTrue(failures.get(2), failures.get(2).contains("File exists"));
    }

    @Test
    public void aFailureNamingNoLineFailsEveryLine() {
        Map<Integer, String> failures = IpBatch.write((argv, stdin) -> answer(argv, stdin, 255, "",
                "Cannot open network namespace \"nlr1\""), "nlr1",
                List.of(List.of("link", "set", "dev", "nlh1", "up"), List.of("link", "set", "dev", "nlh2", "up")));
        assertEquals(List.of(0, 1), List.copyOf(failures.keySet()));
    }

    @Test
    public void readKeepsTheArraysPrintedBeforeABrokenOne() {
        IpBatch.Read read = IpBatch.read((argv, stdin) -> answer(argv, stdin, 2, "[{\"a\":1}]\n[]\n[{\"b\"",
                "Dump terminated"), "nlr1", List.of("addr show", "rule show", "route show table 200"));
        assertEquals(2, read.arrays().size());
        assertEquals(List.of("ip -n nlr1 -j -d -batch - <<addr show\nrule show\nroute show table 200\n"), calls);
    }
}
