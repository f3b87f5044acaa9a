package io.netloom.shell.internal.completers;

import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.netloom.api.model.Caller;
import io.netloom.shell.internal.Callers;

/**
 * Completes the ids and names of the objects the session's user sees.
 */
abstract class IdAndNameCompleter implements Completer {

    /** Adds each candidate's id and name. */
    abstract void candidates(StringsCompleter into);

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        try {
            candidates(delegate);
        } catch (RuntimeException e) {
            // Completion offers what it can; a service that is away just means no candidates.
            return -1;
        }
        return delegate.complete(session, commandLine, candidates);
    }

    static void add(StringsCompleter into, String id, String name) {
        into.getStrings().add(id);
        into.getStrings().add(name);
    }

    static Caller caller() {
        return Callers.current();
    }
}
