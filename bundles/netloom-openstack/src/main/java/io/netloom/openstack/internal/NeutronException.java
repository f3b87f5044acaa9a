package io.netloom.openstack.internal;

import io.netloom.api.ConflictException;

/**
 * A refusal of the Neutron API, answered as {@code {"NeutronError": {"type", "message", "detail"}}} with its status.
 * The types and messages are Neutron's where clients match on them.
 */
final class NeutronException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;

    NeutronException(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    static NeutronException badRequest(String message) {
        return new NeutronException(400, "HTTPBadRequest", message);
    }

    static NeutronException invalidInput(String message) {
        return new NeutronException(400, "InvalidInput", "Invalid input for operation: " + message);
    }

    static NeutronException notFound(String type, String what, String id) {
        return new NeutronException(404, type, what + " " + id + " could not be found.");
    }

    static NeutronException conflict(String type, String message) {
        return new NeutronException(409, type, message);
    }

    /**
     * Runs a model delete; Netloom's refusal {@code IN_USE} becomes Neutron's 409 of the given type and message,
     * with Netloom's reason appended.
     */
    static void deleting(Runnable delete, String type, String message) {
        try {
            delete.run();
        } catch (ConflictException e) {
            if ("IN_USE".equals(e.code())) {
                throw conflict(type, message + " (" + e.getMessage() + ")");
            }
            throw e;
        }
    }
}
