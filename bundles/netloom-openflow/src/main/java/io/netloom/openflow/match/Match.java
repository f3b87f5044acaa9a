package io.netloom.openflow.match;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * An immutable OpenFlow 1.3 match: an ordered list of OXM entries.
 *
 * <p>Matches made with {@link #builder()} are validated (no duplicate field, every field's prerequisites present)
 * and hold their known fields in {@link OxmField} declaration order, which is a valid OXM prerequisite order.
 * Matches decoded from a switch ({@link #of(List)}) keep the switch's order and are not validated.
 */
public final class Match {
    /** The empty match: every packet. */
    public static final Match ALL = new Match(List.of());

    private static final Comparator<OxmTlv> CANONICAL = Comparator.comparingInt(
            t -> t.knownField().map(Enum::ordinal).orElse(Integer.MAX_VALUE));

    private final List<OxmTlv> fields;

    private Match(List<OxmTlv> fields) {
        this.fields = List.copyOf(fields);
    }

    /**
     * Wraps entries as they are, e.g. as decoded from a switch. No ordering or validation is applied.
     *
     * @param fields the entries in wire order
     * @return the match
     */
    public static Match of(List<OxmTlv> fields) {
        return fields.isEmpty() ? ALL : new Match(fields);
    }

    /** @return a builder for a validated match */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the entries, in encoding order */
    public List<OxmTlv> fields() {
        return fields;
    }

    /** @return whether this match has no entries */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * @param field a known field
     * @return the entry for it, if present
     */
    public Optional<OxmTlv> get(OxmField field) {
        for (OxmTlv t : fields) {
            if (t.oxmClass() == field.oxmClass() && t.field() == field.field()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** @return the encoded OXM entries' length, without the match header and padding */
    public int oxmLength() {
        int n = 0;
        for (OxmTlv t : fields) {
            n += t.encodedLength();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Match m && m.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return fields.stream().map(OxmTlv::toString).collect(Collectors.joining(","));
    }

    /** Collects entries and validates them into a {@link Match}. Not thread-safe. */
    public static final class Builder {
        private final List<OxmTlv> entries = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds an entry.
         *
         * @param tlv the entry
         * @return this builder
         * @throws IllegalArgumentException when the same field was already added
         */
        public Builder add(OxmTlv tlv) {
            for (OxmTlv e : entries) {
                if (e.oxmClass() == tlv.oxmClass() && e.field() == tlv.field()) {
                    throw new IllegalArgumentException("duplicate match field " + tlv);
                }
            }
            entries.add(tlv);
            return this;
        }

        /**
         * Adds an exact match on an integer field.
         *
         * @param field the field
         * @param value the value
         * @return this builder
         */
        public Builder set(OxmField field, long value) {
            return add(OxmTlv.of(field, value));
        }

        /**
         * Adds a masked match on an integer field.
         *
         * @param field a maskable field
         * @param value the value
         * @param mask the mask
         * @return this builder
         */
        public Builder set(OxmField field, long value, long mask) {
            return add(OxmTlv.of(field, value, mask));
        }

        /**
         * Adds a match written as text, e.g. {@code set(IPV4_DST, "10.1.0.0/16")}; see {@link OxmTlv#parse}.
         *
         * @param field the field
         * @param text the value with an optional mask or prefix length
         * @return this builder
         */
        public Builder set(OxmField field, String text) {
            return add(OxmTlv.parse(field, text));
        }

        /**
         * @param port the ingress port
         * @return this builder
         */
        public Builder inPort(long port) {
            return set(OxmField.IN_PORT, port);
        }

        /**
         * @param ethType the Ethernet type, e.g. {@code 0x0800}
         * @return this builder
         */
        public Builder ethType(int ethType) {
            return set(OxmField.ETH_TYPE, ethType);
        }

        /**
         * @param ipProto the IP protocol, e.g. 6 for TCP
         * @return this builder
         */
        public Builder ipProto(int ipProto) {
            return set(OxmField.IP_PROTO, ipProto);
        }

        /**
         * @param n register 0..15
         * @param value the 32-bit value
         * @return this builder
         */
        public Builder reg(int n, long value) {
            return set(OxmField.reg(n), value);
        }

        /**
         * @param n register 0..15
         * @param value the 32-bit value
         * @param mask the 32-bit mask
         * @return this builder
         */
        public Builder reg(int n, long value, long mask) {
            return set(OxmField.reg(n), value, mask);
        }

        /**
         * @param n packet register 0..7
         * @param value the 64-bit value
         * @return this builder
         */
        public Builder xreg(int n, long value) {
            return set(OxmField.xreg(n), value);
        }

        /**
         * @param n packet register 0..7
         * @param value the 64-bit value
         * @param mask the 64-bit mask
         * @return this builder
         */
        public Builder xreg(int n, long value, long mask) {
            return set(OxmField.xreg(n), value, mask);
        }

        /**
         * @param value metadata value
         * @param mask metadata mask
         * @return this builder
         */
        public Builder metadata(long value, long mask) {
            return set(OxmField.METADATA, value, mask);
        }

        /**
         * @param state the connection-tracking state bits to match, e.g. {@code CtState.parse("+trk+new")}
         * @return this builder
         */
        public Builder ctState(CtState state) {
            return set(OxmField.CT_STATE, state.value() & 0xffffffffL, state.mask() & 0xffffffffL);
        }

        /**
         * @param zone the connection-tracking zone
         * @return this builder
         */
        public Builder ctZone(int zone) {
            return set(OxmField.CT_ZONE, zone);
        }

        /**
         * Sorts the entries into prerequisite order and checks the prerequisites.
         *
         * @return the match
         * @throws MatchPrerequisiteException when a field's prerequisite is missing
         */
        public Match build() {
            List<OxmTlv> sorted = new ArrayList<>(entries);
            sorted.sort(CANONICAL);
            Match match = new Match(sorted);
            for (OxmTlv t : sorted) {
                Optional<OxmField> f = t.knownField();
                if (f.isPresent()) {
                    checkPrerequisites(match, f.get());
                }
            }
            return match;
        }

        private static void checkPrerequisites(Match match, OxmField field) {
            OxmField.Prerequisite p = field.prerequisite;
            if (p.ethTypes.length > 0) {
                Optional<OxmTlv> ethType = match.get(OxmField.ETH_TYPE);
                int actual = ethType.map(t -> (int) t.longValue()).orElse(-1);
                if (Arrays.stream(p.ethTypes).noneMatch(e -> e == actual)) {
                    throw new MatchPrerequisiteException(field, field.fieldName() + " needs eth_type "
                            + Arrays.stream(p.ethTypes).mapToObj(e -> String.format("0x%04x", e))
                                    .collect(Collectors.joining(" or "))
                            + (actual < 0 ? " in the match" : ", not " + String.format("0x%04x", actual)));
                }
            }
            if (p.ipProto >= 0) {
                int actual = match.get(OxmField.IP_PROTO).map(t -> (int) t.longValue()).orElse(-1);
                if (actual != p.ipProto) {
                    throw new MatchPrerequisiteException(field, field.fieldName() + " needs ip_proto=" + p.ipProto
                            + (actual < 0 ? " in the match" : ", not " + actual));
                }
            }
        }
    }
}
