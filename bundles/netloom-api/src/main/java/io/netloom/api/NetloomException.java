package io.netloom.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Base of every failure a Netloom service reports to its caller. Each carries a machine-readable {@link #code()}
 * (for example {@code INVALID_CIDR}) and, when one input is at fault, the path of that {@link #field()}.
 */
public abstract class NetloomException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final String field;

    /**
     * @param code machine-readable error code, upper case with underscores
     * @param message a sentence for a person
     * @param field path of the offending input field, or {@code null} when no single field is at fault
     */
    protected NetloomException(String code, String message, String field) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
    }

    /**
     * @return the machine-readable error code
     */
    public String code() {
        return code;
    }

    /**
     * @return the path of the input field at fault (such as {@code cidrs[0]}), if one is
     */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
