package io.netloom.openflow.match;

/**
 * A match names a field without the fields it depends on, e.g. {@code ipv4_dst} without {@code eth_type=0x0800} or
 * {@code tcp_dst} without {@code ip_proto=6}. Switches reject such matches with {@code OFPBMC_BAD_PREREQ}.
 */
public class MatchPrerequisiteException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final OxmField field;

    /**
     * @param field the field whose prerequisite is missing
     * @param message what is missing
     */
    public MatchPrerequisiteException(OxmField field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the field whose prerequisite is missing */
    public OxmField field() {
        return field;
    }
}
