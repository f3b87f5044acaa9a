package io.netloom.openflow.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Multipart {@code OFPMP_FLOW} reply: one part, or (as completed by the channel) all parts joined.
 *
 * @param flags {@link MultipartReply#REPLY_MORE} when more parts follow
 * @param stats the flow entries in this part
 */
public record FlowStatsReply(int flags, List<FlowStats> stats) implements OpenFlowMessage, MultipartReply {
    /** Message type ({@code OFPT_MULTIPART_REPLY}). */
    public static final int TYPE = 19;

    /** Copies the list. */
    public FlowStatsReply {
        stats = List.copyOf(stats);
    }

    @Override
    public int type() {
        return TYPE;
    }

    @Override
    public boolean more() {
        return (flags & REPLY_MORE) != 0;
    }

    /**
     * Joins the parts of one reply.
     *
     * @param parts the parts in arrival order
     * @return one reply with every entry and no more-flag
     */
    public static FlowStatsReply join(List<FlowStatsReply> parts) {
        List<FlowStats> all = new ArrayList<>();
        for (FlowStatsReply p : parts) {
            all.addAll(p.stats);
        }
        return new FlowStatsReply(0, all);
    }
}
