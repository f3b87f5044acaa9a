package io.netloom.driver.ovs.internal;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One OpenFlow 1.3 flow of Netloom's pipeline, independent of the wire codec: what the {@link Pipeline} computes
 * and what {@link FlowEncoder} turns into a flow-mod. Its {@link #toString()} is the {@code ovs-ofctl} notation, so
 * logs and test failures read like what an operator sees in {@code ovs-ofctl dump-flows}.
 *
 * @param table the table id
 * @param priority the OpenFlow priority, higher first
 * @param cookie the cookie naming the entry that owns the flow
 * @param match the match fields, in prerequisite order
 * @param actions the apply-actions, in order; empty with no goto-table means drop
 * @param metadata the value of a write-metadata instruction (all 64 bits), or {@code null}
 * @param gotoTable the goto-table instruction, or {@code null}
 */
record FlowSpec(int table, int priority, long cookie, List<Match> match, List<Action> actions, Long metadata,
        Integer gotoTable) {

    FlowSpec {
        match = List.copyOf(match);
        actions = List.copyOf(actions);
        if (gotoTable != null && gotoTable <= table) {
            throw new IllegalArgumentException("goto_table must go forward: " + table + " -> " + gotoTable);
        }
    }

    /** The fields Netloom matches and writes; names as in {@code ovs-ofctl}. */
    enum Field {
        IN_PORT("in_port"), ETH_SRC("eth_src"), ETH_DST("eth_dst"), ETH_TYPE("eth_type"), IP_PROTO("ip_proto"),
        IPV4_SRC("nw_src"), IPV4_DST("nw_dst"), TCP_DST("tcp_dst"), TCP_FLAGS("tcp_flags"), UDP_DST("udp_dst"),
        ARP_OP("arp_op"),
        ARP_SPA("arp_spa"), ARP_TPA("arp_tpa"), ARP_SHA("arp_sha"), ARP_THA("arp_tha"), METADATA("metadata"),
        XREG0("xreg0"), XREG1("xreg1"), REG5("reg5"), REG6("reg6"), REG7("reg7"), REG8("reg8"), REG9("reg9"),
        REG10("reg10"),
        REG11("reg11"), REG12("reg12"), REG13("reg13"), REG14("reg14"), REG15("reg15"), CT_STATE("ct_state"),
        TUN_ID("tun_id"), TUN_DST("tun_dst");

        private final String ofctl;

        Field(String ofctl) {
            this.ofctl = ofctl;
        }

        String ofctl() {
            return ofctl;
        }

        /**
         * @return a value of this field as {@code ovs-ofctl} writes it: MACs and IPv4 addresses in their notation,
         *     numbers in hex
         */
        String format(long value) {
            return switch (this) {
                case ETH_SRC, ETH_DST, ARP_SHA, ARP_THA -> Pipeline.macText(value);
                case IPV4_SRC, IPV4_DST, ARP_SPA, ARP_TPA, TUN_DST -> ((value >> 24) & 0xff) + "."
                        + ((value >> 16) & 0xff) + "." + ((value >> 8) & 0xff) + "." + (value & 0xff);
                case IN_PORT -> Long.toString(value);
                default -> "0x" + Long.toHexString(value);
            };
        }
    }

    /**
     * A match on one field, optionally masked.
     *
     * @param field the field
     * @param value the value (a MAC or IPv4 address as a number)
     * @param mask the mask, or {@code null} for an exact match
     */
    record Match(Field field, long value, Long mask) {

        static Match exact(Field field, long value) {
            return new Match(field, value, null);
        }

        @Override
        public String toString() {
            return field.ofctl() + "=" + field.format(value) + (mask == null ? "" : "/" + field.format(mask));
        }
    }

    /** An action of the apply-actions instruction. */
    sealed interface Action permits SetField, Move, DecTtl, Ct, Output {
    }

    /**
     * Sets a field.
     *
     * @param field the field
     * @param value the value
     */
    record SetField(Field field, long value) implements Action {
        @Override
        public String toString() {
            return "set_field:" + field.format(value) + "->" + field.ofctl();
        }
    }

    /**
     * Copies a whole field to another of the same width (Nicira reg_move).
     *
     * @param from the source field
     * @param to the destination field
     */
    record Move(Field from, Field to) implements Action {
        @Override
        public String toString() {
            return "move:" + from.ofctl() + "[]->" + to.ofctl() + "[]";
        }
    }

    /** Decrements the IP TTL (the packet is dropped at zero). */
    record DecTtl() implements Action {
        @Override
        public String toString() {
            return "dec_ttl";
        }
    }

    /**
     * Sends the packet through connection tracking (Nicira ct).
     *
     * @param commit whether to commit the connection
     * @param zone the conntrack zone
     * @param table the table to continue in after tracking, or {@code null} to continue in this flow
     */
    record Ct(boolean commit, int zone, Integer table) implements Action {
        @Override
        public String toString() {
            return "ct(" + (commit ? "commit," : "") + "zone=" + zone + (table == null ? "" : ",table=" + table) + ")";
        }
    }

    /**
     * Outputs the packet.
     *
     * @param port the OpenFlow port number, or {@link #IN_PORT}
     */
    record Output(long port) implements Action {

        /** OFPP_IN_PORT: back where it came from. */
        static final long IN_PORT = 0xfffffff8L;

        @Override
        public String toString() {
            return port == IN_PORT ? "IN_PORT" : "output:" + port;
        }
    }

    @Override
    public String toString() {
        String instructions = actions.stream().map(Object::toString).collect(Collectors.joining(","));
        if (metadata != null) {
            instructions += (instructions.isEmpty() ? "" : ",") + "write_metadata:0x" + Long.toHexString(metadata);
        }
        if (gotoTable != null) {
            instructions += (instructions.isEmpty() ? "" : ",") + "goto_table:" + gotoTable;
        }
        return "cookie=0x" + Long.toHexString(cookie) + ",table=" + table + ",priority=" + priority + ","
                + match.stream().map(Object::toString).collect(Collectors.joining(",")) + " actions="
                + (instructions.isEmpty() ? "drop" : instructions);
    }

}
