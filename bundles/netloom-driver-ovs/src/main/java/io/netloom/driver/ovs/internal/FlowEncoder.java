package io.netloom.driver.ovs.internal;

import java.util.ArrayList;
import java.util.List;

import io.netloom.openflow.action.Action;
import io.netloom.openflow.action.Instruction;
import io.netloom.openflow.match.Match;
import io.netloom.openflow.match.OxmField;
import io.netloom.openflow.protocol.FlowMod;

/**
 * Turns the pipeline's {@link FlowSpec}s into OpenFlow 1.3 flow-mods.
 */
final class FlowEncoder {

    private FlowEncoder() {
    }

    /**
     * @param flow a flow of the pipeline
     * @return the flow-mod that adds it
     */
    static FlowMod add(FlowSpec flow) {
        Match.Builder match = Match.builder();
        for (FlowSpec.Match m : flow.match()) {
            if (m.mask() == null) {
                match.set(field(m.field()), m.value());
            } else {
                match.set(field(m.field()), m.value(), m.mask());
            }
        }
        List<Instruction> instructions = new ArrayList<>();
        if (!flow.actions().isEmpty()) {
            List<Action> actions = new ArrayList<>();
            for (FlowSpec.Action a : flow.actions()) {
                actions.add(action(a));
            }
            instructions.add(Instruction.applyActions(actions));
        }
        if (flow.metadata() != null) {
            instructions.add(Instruction.writeMetadata(flow.metadata(), -1L));
        }
        if (flow.gotoTable() != null) {
            instructions.add(Instruction.gotoTable(flow.gotoTable()));
        }
        return FlowMod.add(flow.table()).cookie(flow.cookie()).priority(flow.priority()).match(match.build())
                .instructions(instructions).build();
    }

    /**
     * @param cookie a cookie
     * @return the flow-mod that deletes every flow with exactly that cookie, in every table
     */
    static FlowMod deleteCookie(long cookie) {
        return FlowMod.deleteByCookie(cookie, -1L);
    }

    private static Action action(FlowSpec.Action action) {
        if (action instanceof FlowSpec.SetField set) {
            return Action.setField(field(set.field()), set.value());
        } else if (action instanceof FlowSpec.Move move) {
            return Action.move(field(move.from()), field(move.to()));
        } else if (action instanceof FlowSpec.DecTtl) {
            return Action.decNwTtl();
        } else if (action instanceof FlowSpec.Ct ct) {
            return ct.commit() ? Action.ctCommit(ct.zone())
                    : Action.ct(ct.zone(), ct.table() == null ? Action.Conntrack.NO_RECIRC : ct.table());
        } else if (action instanceof FlowSpec.Output output) {
            return Action.output(output.port());
        }
        throw new IllegalArgumentException("Unknown action " + action);
    }

    static OxmField field(FlowSpec.Field field) {
        return switch (field) {
            case IN_PORT -> OxmField.IN_PORT;
            case ETH_SRC -> OxmField.ETH_SRC;
            case ETH_DST -> OxmField.ETH_DST;
            case ETH_TYPE -> OxmField.ETH_TYPE;
            case IP_PROTO -> OxmField.IP_PROTO;
            case IPV4_SRC -> OxmField.IPV4_SRC;
            case IPV4_DST -> OxmField.IPV4_DST;
            case TCP_DST -> OxmField.TCP_DST;
            case TCP_FLAGS -> OxmField.TCP_FLAGS;
            case UDP_DST -> OxmField.UDP_DST;
            case ARP_OP -> OxmField.ARP_OP;
            case ARP_SPA -> OxmField.ARP_SPA;
            case ARP_TPA -> OxmField.ARP_TPA;
            case ARP_SHA -> OxmField.ARP_SHA;
            case ARP_THA -> OxmField.ARP_THA;
            case METADATA -> OxmField.METADATA;
            case XREG0 -> OxmField.XREG0;
            case XREG1 -> OxmField.XREG1;
            case REG5 -> OxmField.REG5;
            case REG6 -> OxmField.REG6;
            case REG7 -> OxmField.REG7;
            case REG8 -> OxmField.REG8;
            case REG9 -> OxmField.REG9;
            case REG10 -> OxmField.REG10;
            case REG11 -> OxmField.REG11;
            case REG12 -> OxmField.REG12;
            case REG13 -> OxmField.REG13;
            case REG14 -> OxmField.REG14;
            case REG15 -> OxmField.REG15;
            case CT_STATE -> OxmField.CT_STATE;
            case TUN_ID -> OxmField.TUNNEL_ID;
            case TUN_DST -> OxmField.TUN_IPV4_DST;
        };
    }
}
