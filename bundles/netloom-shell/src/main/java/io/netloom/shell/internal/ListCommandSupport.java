package io.netloom.shell.internal;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.karaf.shell.api.action.Option;

import io.netloom.api.model.Page;

/**
 * What every list command shares with the REST API's lists: the whole list, or with {@code --limit N} (at most
 * {@value Page#MAX_LIMIT}) and {@code --marker ID} (the last id of the previous page) one page at a time. A table
 * ends with the option that shows the next page; {@code --json} prints the page's items only, as REST does.
 */
abstract class ListCommandSupport extends VnetCommandSupport {

    @Option(name = "--limit", description = "Show at most this many (1 to 1000); without it, all")
    Integer limit;

    @Option(name = "--marker", description = "Start after this id: the last id of the previous page")
    String marker;

    private Optional<String> next = Optional.empty();

    /**
     * @return the page of {@code all} the options ask for
     */
    <T> List<T> page(List<T> all, Function<T, String> id) {
        Page<T> page = Page.of(all, id, limit, marker);
        next = page.next();
        return page.items();
    }

    /** Prints the page: as JSON, or as the table {@code table} prints followed by how to see the next page. */
    <T> void print(List<T> items, Runnable table) {
        super.print(items, () -> {
            table.run();
            next.ifPresent(m -> out().println("More: add --marker " + m));
        });
    }
}
