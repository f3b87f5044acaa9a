package io.netloom.ovsdb;

import io.netloom.ovsdb.operations.OperationResult;
import java.util.List;
import java.util.Optional;

/**
 * An operation of a {@code transact} request answered with an {@code error} (RFC 7047 section 4.1.3), so the whole
 * transaction was aborted and nothing was committed. When the operations themselves succeeded but the commit failed
 * (for example {@code "referential integrity violation"}), {@link #operationIndex()} equals the number of operations
 * and {@link #isCommitFailure()} is true.
 */
public class OvsdbTransactionException extends OvsdbException {
    private static final long serialVersionUID = 1L;

    /** The database of the transaction. */
    private final String database;
    /** The index of the failing operation, or the number of operations for a commit failure. */
    private final int operationIndex;
    /** The op name of the failing operation, or "commit". */
    private final String operation;
    /** The error string. */
    private final String error;
    /** The details, or null. */
    private final String details;
    private final transient List<OperationResult> results;
    /** Whether the commit failed after every operation succeeded. */
    private final boolean commitFailure;

    /**
     * Creates an exception.
     *
     * @param database       the database of the transaction
     * @param operationIndex the 0-based index of the failing operation, or the number of operations for a commit
     *                       failure
     * @param operation      the {@code op} of the failing operation, or {@code "commit"}
     * @param error          the error string, such as {@code timed out} or {@code constraint violation}
     * @param details        the details sent by the server, or {@code null}
     * @param results        the results of the operations before the failing one
     * @param commitFailure  whether the failure happened at commit, after all operations succeeded
     */
    public OvsdbTransactionException(String database, int operationIndex, String operation, String error,
            String details, List<OperationResult> results, boolean commitFailure) {
        super((commitFailure
                ? "commit of transaction on " + database + " failed: "
                : "operation " + operationIndex + " (" + operation + ") of transaction on " + database + " failed: ")
                + error + (details == null ? "" : " (" + details + ")"));
        this.database = database;
        this.operationIndex = operationIndex;
        this.operation = operation;
        this.error = error;
        this.details = details;
        this.results = List.copyOf(results);
        this.commitFailure = commitFailure;
    }

    /**
     * Returns the database the transaction ran on.
     *
     * @return the database name
     */
    public String database() {
        return database;
    }

    /**
     * Returns the 0-based index of the failing operation in the request.
     *
     * @return the index; equal to the number of operations when the commit failed
     */
    public int operationIndex() {
        return operationIndex;
    }

    /**
     * Returns the {@code op} name of the failing operation.
     *
     * @return the operation name, or {@code "commit"} for a commit failure
     */
    public String operation() {
        return operation;
    }

    /**
     * Returns the error string sent by the server.
     *
     * @return the error, such as {@code timed out} for an unsatisfied {@code wait}
     */
    public String error() {
        return error;
    }

    /**
     * Returns the details sent with the error, if any.
     *
     * @return the details
     */
    public Optional<String> details() {
        return Optional.ofNullable(details);
    }

    /**
     * Returns the results of the operations that succeeded before the failing one. Empty after deserialization.
     *
     * @return the results, in request order
     */
    public List<OperationResult> results() {
        return results == null ? List.of() : results;
    }

    /**
     * Tells whether every operation succeeded and the commit itself failed.
     *
     * @return true for a commit failure
     */
    public boolean isCommitFailure() {
        return commitFailure;
    }
}
