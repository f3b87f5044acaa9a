package io.netloom.hostnet.netlink;

/**
 * A namespace could not be entered, or the kernel refused a netlink request.
 */
public final class NetlinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     */
    public NetlinkException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause why
     */
    public NetlinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
