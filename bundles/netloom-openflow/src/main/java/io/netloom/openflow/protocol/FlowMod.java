package io.netloom.openflow.protocol;

import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.action.Ports;
import io.netloom.openflow.match.Match;
import java.util.List;

/**
 * {@code OFPT_FLOW_MOD}: adds, modifies or deletes flow entries.
 *
 * @param command what to do
 * @param cookie the flow's cookie (add) or the cookie to filter on (modify/delete)
 * @param cookieMask which cookie bits must match for modify/delete; 0 matches every cookie
 * @param tableId the table; {@link #ALL_TABLES} only for deletes
 * @param idleTimeout seconds without traffic before removal (0: never)
 * @param hardTimeout seconds before removal (0: never)
 * @param priority 0..65535
 * @param bufferId {@link #NO_BUFFER} unless applying to a buffered packet
 * @param outPort deletes only: restrict to flows that output to this port; {@link Ports#ANY} for all
 * @param outGroup deletes only: restrict to flows that output to this group; {@link #ANY_GROUP} for all
 * @param flags {@code OFPFF_*} bits
 * @param match the match
 * @param instructions the instructions (ignored for deletes)
 */
public record FlowMod(Command command, long cookie, long cookieMask, int tableId, int idleTimeout, int hardTimeout,
        int priority, long bufferId, long outPort, long outGroup, int flags, Match match,
        List<Instruction> instructions) implements OpenFlowMessage {

    /** Message type. */
    public static final int TYPE = 14;
    /** Table id meaning every table, valid for deletes and stats requests. */
    public static final int ALL_TABLES = 0xff;
    /** {@code OFP_NO_BUFFER}. */
    public static final long NO_BUFFER = 0xffffffffL;
    /** {@code OFPG_ANY}. */
    public static final long ANY_GROUP = 0xffffffffL;
    /** {@code OFPFF_SEND_FLOW_REM}. */
    public static final int SEND_FLOW_REM = 0x01;
    /** {@code OFPFF_CHECK_OVERLAP}. */
    public static final int CHECK_OVERLAP = 0x02;
    /** {@code OFPFF_RESET_COUNTS}. */
    public static final int RESET_COUNTS = 0x04;
    /** {@code OFPFF_NO_PKT_COUNTS}. */
    public static final int NO_PKT_COUNTS = 0x08;
    /** {@code OFPFF_NO_BYT_COUNTS}. */
    public static final int NO_BYT_COUNTS = 0x10;

    /** {@code ofp_flow_mod_command}. */
    public enum Command {
        /** Add a flow, replacing an identical one. */
        ADD,
        /** Modify the instructions of all matching flows. */
        MODIFY,
        /** Modify the flow with exactly this match and priority. */
        MODIFY_STRICT,
        /** Delete all matching flows. */
        DELETE,
        /** Delete the flow with exactly this match and priority. */
        DELETE_STRICT;

        /** @return the wire value */
        public int code() {
            return ordinal();
        }

        /** @return whether the command deletes flows */
        public boolean deletes() {
            return this == DELETE || this == DELETE_STRICT;
        }
    }

    /** Checks ranges and copies the instruction list. */
    public FlowMod {
        check(tableId, 0xff, "table_id");
        if (tableId == ALL_TABLES && !command.deletes()) {
            throw new IllegalArgumentException("table_id 0xff (all tables) is only valid for deletes");
        }
        check(idleTimeout, 0xffff, "idle_timeout");
        check(hardTimeout, 0xffff, "hard_timeout");
        check(priority, 0xffff, "priority");
        check(flags, 0xffff, "flags");
        if (bufferId < 0 || bufferId > 0xffffffffL || outPort < 0 || outPort > 0xffffffffL || outGroup < 0
                || outGroup > 0xffffffffL) {
            throw new IllegalArgumentException("buffer_id, out_port and out_group are unsigned 32 bit");
        }
        instructions = List.copyOf(instructions);
    }

    private static void check(int value, int max, String name) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range: " + value);
        }
    }

    @Override
    public int type() {
        return TYPE;
    }

    /**
     * @param tableId the table the flow goes into
     * @return a builder for an {@code ADD}
     */
    public static Builder add(int tableId) {
        return new Builder(Command.ADD).table(tableId);
    }

    /**
     * @param command the command
     * @return a builder; defaults: table 0, priority 0x8000, no cookie, no timeouts, no buffer, any port/group
     */
    public static Builder builder(Command command) {
        return new Builder(command);
    }

    /**
     * Deletes, in every table, the flows whose cookie matches {@code cookie} under {@code cookieMask}.
     *
     * @param cookie the cookie value
     * @param cookieMask which bits must match
     * @return the delete
     */
    public static FlowMod deleteByCookie(long cookie, long cookieMask) {
        return new Builder(Command.DELETE).table(ALL_TABLES).cookie(cookie).cookieMask(cookieMask).build();
    }

    /** Builds a {@link FlowMod}. Not thread-safe. */
    public static final class Builder {
        private final Command command;
        private long cookie;
        private long cookieMask;
        private int tableId;
        private int idleTimeout;
        private int hardTimeout;
        private int priority = 0x8000;
        private long bufferId = NO_BUFFER;
        private long outPort = Ports.ANY;
        private long outGroup = ANY_GROUP;
        private int flags;
        private Match match = Match.ALL;
        private List<Instruction> instructions = List.of();

        private Builder(Command command) {
            this.command = command;
        }

        /**
         * @param value the cookie
         * @return this builder
         */
        public Builder cookie(long value) {
            this.cookie = value;
            return this;
        }

        /**
         * @param value the cookie mask (modify/delete)
         * @return this builder
         */
        public Builder cookieMask(long value) {
            this.cookieMask = value;
            return this;
        }

        /**
         * @param value the table id
         * @return this builder
         */
        public Builder table(int value) {
            this.tableId = value;
            return this;
        }

        /**
         * @param value the priority
         * @return this builder
         */
        public Builder priority(int value) {
            this.priority = value;
            return this;
        }

        /**
         * @param value idle timeout in seconds
         * @return this builder
         */
        public Builder idleTimeout(int value) {
            this.idleTimeout = value;
            return this;
        }

        /**
         * @param value hard timeout in seconds
         * @return this builder
         */
        public Builder hardTimeout(int value) {
            this.hardTimeout = value;
            return this;
        }

        /**
         * @param value the buffer id
         * @return this builder
         */
        public Builder bufferId(long value) {
            this.bufferId = value;
            return this;
        }

        /**
         * @param value out_port filter for deletes
         * @return this builder
         */
        public Builder outPort(long value) {
            this.outPort = value;
            return this;
        }

        /**
         * @param value out_group filter for deletes
         * @return this builder
         */
        public Builder outGroup(long value) {
            this.outGroup = value;
            return this;
        }

        /**
         * @param value {@code OFPFF_*} flags
         * @return this builder
         */
        public Builder flags(int value) {
            this.flags = value;
            return this;
        }

        /**
         * @param value the match
         * @return this builder
         */
        public Builder match(Match value) {
            this.match = value;
            return this;
        }

        /**
         * @param value the instructions, in order
         * @return this builder
         */
        public Builder instructions(Instruction... value) {
            this.instructions = List.of(value);
            return this;
        }

        /**
         * @param value the instructions, in order
         * @return this builder
         */
        public Builder instructions(List<Instruction> value) {
            this.instructions = value;
            return this;
        }

        /** @return the flow mod */
        public FlowMod build() {
            return new FlowMod(command, cookie, cookieMask, tableId, idleTimeout, hardTimeout, priority, bufferId,
                    outPort, outGroup, flags, match, instructions);
        }
    }
}
