package io.netloom.openflow.action;

import java.util.List;

import io.netloom.openflow.Bytes;

/** An OpenFlow 1.3 instruction of a flow entry. */
public sealed interface Instruction permits Instruction.GotoTable, Instruction.WriteMetadata,
        Instruction.ApplyActions, Instruction.ClearActions, Instruction.Unknown {

    /**
     * Continue processing in a later table. Open vSwitch rejects a table not greater than the flow's own.
     *
     * @param tableId the table, 0..254
     */
    record GotoTable(int tableId) implements Instruction {
        /** Checks the range. */
        public GotoTable {
            if (tableId < 0 || tableId > 254) {
                throw new IllegalArgumentException("goto_table must be 0..254: " + tableId);
            }
        }
    }

    /**
     * Writes {@code metadata} into the metadata field, under {@code mask}.
     *
     * @param metadata the value
     * @param mask which bits are written
     */
    record WriteMetadata(long metadata, long mask) implements Instruction {
    }

    /**
     * Applies actions immediately, in order.
     *
     * @param actions the actions
     */
    record ApplyActions(List<Action> actions) implements Instruction {
        /** Copies the list. */
        public ApplyActions {
            actions = List.copyOf(actions);
        }
    }

    /** Clears the action set. */
    record ClearActions() implements Instruction {
    }

    /**
     * An instruction this library does not model (e.g. write-actions or meter), kept as received.
     *
     * @param type the instruction type
     * @param bytes the whole instruction, header included
     */
    record Unknown(int type, Bytes bytes) implements Instruction {
        /**
         * @param type the type
         * @param bytes the whole instruction, header included, copied
         */
        public Unknown(int type, byte[] bytes) {
            this(type, Bytes.of(bytes));
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", bytes=" + bytes + "]";
        }
    }

    /**
     * @param tableId the next table
     * @return a goto-table instruction
     */
    static GotoTable gotoTable(int tableId) {
        return new GotoTable(tableId);
    }

    /**
     * @param metadata the value
     * @param mask which bits are written
     * @return a write-metadata instruction
     */
    static WriteMetadata writeMetadata(long metadata, long mask) {
        return new WriteMetadata(metadata, mask);
    }

    /**
     * @param actions the actions, in order
     * @return an apply-actions instruction
     */
    static ApplyActions applyActions(Action... actions) {
        return new ApplyActions(List.of(actions));
    }

    /**
     * @param actions the actions, in order
     * @return an apply-actions instruction
     */
    static ApplyActions applyActions(List<Action> actions) {
        return new ApplyActions(actions);
    }

    /** @return a clear-actions instruction */
    static ClearActions clearActions() {
        return new ClearActions();
    }
}
