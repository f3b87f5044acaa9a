package io.netloom.api.driver;

/**
 * A driver could not read or program its data plane.
 */
public class DriverException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause why, or {@code null}
     */
    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
