package io.netloom.openstack.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Neutron's bulk create is all or nothing: items are made one by one through the model services, and when one is
 * refused, those made before it are removed again before the refusal is answered.
 */
final class Bulk {

    private Bulk() {
    }

    /**
     * @return what {@code create} made of each spec, in order
     */
    static <S, T> List<T> allOrNothing(List<S> specs, Function<S, T> create, Consumer<T> undo) {
        List<T> created = new ArrayList<>();
        try {
            for (S spec : specs) {
                created.add(create.apply(spec));
            }
        } catch (RuntimeException e) {
            for (T made : created) {
                undo.accept(made);
            }
            throw e;
        }
        return created;
    }
}
