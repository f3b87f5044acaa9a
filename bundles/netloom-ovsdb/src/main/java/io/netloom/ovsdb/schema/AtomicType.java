package io.netloom.ovsdb.schema;

import io.netloom.ovsdb.notation.Uuid;
import java.util.Locale;

/** The atomic types of RFC 7047 section 3.2, with the default value of each. */
public enum AtomicType {
    /** A 64-bit integer; default 0. */
    INTEGER(0L),
    /** A double-precision number; default 0.0. */
    REAL(0.0),
    /** A boolean; default false. */
    BOOLEAN(Boolean.FALSE),
    /** A Unicode string; default the empty string. */
    STRING(""),
    /** A UUID (often a reference to another table); default the all-zero UUID. */
    UUID(Uuid.ZERO);

    private final Object defaultValue;

    AtomicType(Object defaultValue) {
        this.defaultValue = defaultValue;
    }

    /**
     * Returns the default value of this type, in the Java model of {@link io.netloom.ovsdb.notation.Notation}.
     *
     * @return the default atom
     */
    public Object defaultValue() {
        return defaultValue;
    }

    /**
     * Parses the schema name of an atomic type.
     *
     * @param name {@code integer}, {@code real}, {@code boolean}, {@code string} or {@code uuid}
     * @return the type
     * @throws IllegalArgumentException for any other name
     */
    public static AtomicType parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown OVSDB atomic type '" + name + "'", e);
        }
    }
}
