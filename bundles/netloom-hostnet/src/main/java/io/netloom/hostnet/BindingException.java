package io.netloom.hostnet;

/**
 * A port binding cannot be made as asked, for a reason the caller can fix (a namespace that does not exist, a
 * missing tool, an inconsistent specification); failures of the tools themselves are {@link HostCommandException}s.
 */
public class BindingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and how to fix it
     */
    public BindingException(String message) {
        super(message);
    }
}
