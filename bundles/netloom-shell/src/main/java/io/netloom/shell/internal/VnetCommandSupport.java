package io.netloom.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.NetloomException;
import io.netloom.api.codec.JsonCodec;
import io.netloom.api.model.Caller;
import io.netloom.api.model.ModelRevisions;
import io.netloom.api.realisation.RealisationService;

/**
 * What every {@code vnet:} command shares: the caller taken from the shell session's login, {@code -j/--json}
 * printing the same JSON as REST, {@code --no-format} for scripts, and Netloom's errors printed as
 * {@code CODE: message [field]}.
 */
abstract class VnetCommandSupport implements Action {

    static final String SCOPE = "vnet";

    @Option(name = "-j", aliases = "--json", description = "Print JSON, the same document as the REST API")
    boolean json;

    @Option(name = "--no-format", description = "Print tables without borders and padding, for scripts")
    boolean noFormat;

    @Reference(optional = true)
    RealisationService realisation;

    @Reference
    ModelRevisions revisions;

    /**
     * @return the networks or ports with the status the reconciler reports now (their stored status when it is
     *     not running)
     */
    <T> List<T> withStatus(List<T> objects) {
        return objects.stream().map(this::withStatus).toList();
    }

    <T> T withStatus(T object) {
        RealisationService r = realisation;
        return r == null ? object : r.withStatus(object);
    }

    @Override
    public final Object execute() throws Exception {
        try {
            TrailingOptions.apply(this);
            doExecute();
            return null;
        } catch (NetloomException e) {
            throw new IllegalArgumentException(e.code() + ": " + e.getMessage()
                    + e.field().map(f -> " [" + f + "]").orElse(""), e);
        }
    }

    /** Runs the command. */
    abstract void doExecute() throws Exception;

    PrintStream out() {
        return System.out;
    }

    void printJson(Object value) {
        out().println(JsonCodec.toPrettyJson(value));
    }

    /**
     * Prints an answer as the user asked: its JSON with {@code --json}, otherwise what {@code table} prints.
     *
     * @param answer the answer, as REST would send it
     * @param table prints the answer for people
     */
    void print(Object answer, Runnable table) {
        if (json) {
            printJson(answer);
        } else {
            table.run();
        }
    }

    void print(ShellTable table) {
        table.print(out(), !noFormat);
    }

    static Caller caller() {
        return Callers.current();
    }

    /**
     * @return the service, when its bundle is running
     * @throws IllegalStateException naming the service when it is not
     */
    static <T> T require(T service, String name) {
        if (service == null) {
            throw new IllegalStateException("SERVICE_UNAVAILABLE: the " + name + " service is not running; it "
                    + "answers again as soon as its bundle is started");
        }
        return service;
    }

    /**
     * @return a policy service (routing, topology, firewall, explain), once the policy bundles have heard every write
     *     acknowledged before this command, so that what it derives reflects them
     * @throws IllegalStateException naming the service when it is not running
     */
    <T> T policy(T service, String name) {
        T running = require(service, name);
        revisions.awaitCurrentHeard(ModelRevisions.CATCH_UP);
        return running;
    }

    static String orDash(Object value) {
        return value == null || value.toString().isEmpty() ? "-" : value.toString();
    }
}
