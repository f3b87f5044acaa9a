package io.netloom.ovsdb;

import java.util.Optional;

/**
 * The server answered a JSON-RPC request with a non-null {@code error} (RFC 7047 section 4.1), for example
 * {@code "unknown database"} or {@code "unknown method"}.
 */
public class OvsdbRpcException extends OvsdbException {
    private static final long serialVersionUID = 1L;

    /** The JSON-RPC method of the failed request. */
    private final String method;
    /** The error string of the reply. */
    private final String error;
    /** The details of the reply, or null. */
    private final String details;

    /**
     * Creates an exception.
     *
     * @param method  the JSON-RPC method of the failed request
     * @param error   the error string of the reply (the {@code error} member of an error object, or the error itself)
     * @param details the {@code details} member of the error object, or {@code null} when absent
     */
    public OvsdbRpcException(String method, String error, String details) {
        super("OVSDB request '" + method + "' failed: " + error + (details == null ? "" : " (" + details + ")"));
        this.method = method;
        this.error = error;
        this.details = details;
    }

    /**
     * Returns the JSON-RPC method of the failed request.
     *
     * @return the method name, such as {@code transact}
     */
    public String method() {
        return method;
    }

    /**
     * Returns the error string sent by the server.
     *
     * @return the error, such as {@code unknown database}
     */
    public String error() {
        return error;
    }

    /**
     * Returns the human-readable details sent with the error, if any.
     *
     * @return the details
     */
    public Optional<String> details() {
        return Optional.ofNullable(details);
    }
}
