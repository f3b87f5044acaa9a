package io.netloom.shell.internal;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.support.table.ShellTable;

import io.netloom.api.codec.JsonCodec;

/**
 * What every {@code vnet:} command shares: {@code -j/--json} prints the same JSON as REST, {@code --no-format}
 * prints tables without borders for scripts.
 */
abstract class VnetCommandSupport implements Action {

    static final String SCOPE = "vnet";

    @Option(name = "-j", aliases = "--json", description = "Print JSON, the same document as the REST API")
    boolean json;

    @Option(name = "--no-format", description = "Print tables without borders and padding, for scripts")
    boolean noFormat;

    PrintStream out() {
        return System.out;
    }

    void printJson(Object value) {
        out().println(JsonCodec.toPrettyJson(value));
    }

    void print(ShellTable table) {
        table.print(out(), !noFormat);
    }
}
