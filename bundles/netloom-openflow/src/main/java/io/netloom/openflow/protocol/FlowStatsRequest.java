package io.netloom.openflow.protocol;

import io.netloom.openflow.action.Ports;
import io.netloom.openflow.match.Match;

/**
 * Multipart {@code OFPMP_FLOW} request: individual flow statistics. The match is non-strict: flows whose match is
 * equal to or more specific than {@code match} are returned.
 *
 * @param tableId the table to read, or {@link FlowMod#ALL_TABLES}
 * @param outPort only flows outputting to this port; {@link Ports#ANY} for all
 * @param outGroup only flows outputting to this group; {@link FlowMod#ANY_GROUP} for all
 * @param cookie cookie value to filter on
 * @param cookieMask which cookie bits must match; 0 for all flows
 * @param match the match filter
 */
public record FlowStatsRequest(int tableId, long outPort, long outGroup, long cookie, long cookieMask, Match match)
        implements OpenFlowRequest<FlowStatsReply> {
    /** Message type ({@code OFPT_MULTIPART_REQUEST}). */
    public static final int TYPE = 18;
    /** Multipart type {@code OFPMP_FLOW}. */
    public static final int MULTIPART_FLOW = 1;

    /** Checks ranges. */
    public FlowStatsRequest {
        if (tableId < 0 || tableId > 0xff) {
            throw new IllegalArgumentException("table_id out of range: " + tableId);
        }
    }

    /** @return a request for every flow in every table */
    public static FlowStatsRequest all() {
        return new FlowStatsRequest(FlowMod.ALL_TABLES, Ports.ANY, FlowMod.ANY_GROUP, 0, 0, Match.ALL);
    }

    /**
     * @param cookie cookie value
     * @param cookieMask which bits must match
     * @return a request for the flows with a matching cookie, in every table
     */
    public static FlowStatsRequest byCookie(long cookie, long cookieMask) {
        return new FlowStatsRequest(FlowMod.ALL_TABLES, Ports.ANY, FlowMod.ANY_GROUP, cookie, cookieMask, Match.ALL);
    }

    /**
     * @param table a table id
     * @return a request for every flow in one table
     */
    public static FlowStatsRequest table(int table) {
        return new FlowStatsRequest(table, Ports.ANY, FlowMod.ANY_GROUP, 0, 0, Match.ALL);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public Class<FlowStatsReply> replyType() {
        return FlowStatsReply.class;
    }
}
