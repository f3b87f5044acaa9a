package io.netloom.openflow.protocol;

import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.match.Match;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One flow entry of a flow statistics reply ({@code ofp_flow_stats}).
 *
 * @param tableId the table
 * @param durationSec seconds the flow has been installed
 * @param durationNsec nanoseconds beyond {@code durationSec}
 * @param priority the priority
 * @param idleTimeout idle timeout in seconds
 * @param hardTimeout hard timeout in seconds
 * @param flags {@code OFPFF_*} flags
 * @param cookie the cookie
 * @param packetCount packets matched
 * @param byteCount bytes matched
 * @param match the match as the switch reports it (its order and classes)
 * @param instructions the decoded instructions; what this library does not model is kept as {@code Unknown}
 * @param rawInstructions the instructions exactly as received
 */
public record FlowStats(int tableId, long durationSec, long durationNsec, int priority, int idleTimeout,
        int hardTimeout, int flags, long cookie, long packetCount, long byteCount, Match match,
        List<Instruction> instructions, byte[] rawInstructions) {

    /** Copies the lists and bytes. */
    public FlowStats {
        instructions = List.copyOf(instructions);
        rawInstructions = rawInstructions.clone();
    }

    /** @return how long the flow has been installed */
    public Duration duration() {
        return Duration.ofSeconds(durationSec, durationNsec);
    }

    /** @return a copy of the rawInstructions */
    @Override
    public byte[] rawInstructions() {
        return rawInstructions.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlowStats f && f.tableId == tableId && f.durationSec == durationSec
                && f.durationNsec == durationNsec && f.priority == priority && f.idleTimeout == idleTimeout
                && f.hardTimeout == hardTimeout && f.flags == flags && f.cookie == cookie
                && f.packetCount == packetCount && f.byteCount == byteCount && f.match.equals(match)
                && f.instructions.equals(instructions) && Arrays.equals(f.rawInstructions, rawInstructions);
    }

    @Override
    public int hashCode() {
        return ((tableId * 31 + priority) * 31 + Long.hashCode(cookie)) * 31 + match.hashCode();
    }

    @Override
    public String toString() {
        return "FlowStats[table=" + tableId + ", priority=" + priority + ", cookie=0x" + Long.toHexString(cookie)
                + ", packets=" + packetCount + ", bytes=" + byteCount + ", match=" + match + ", instructions="
                + instructions + "]";
    }
}
