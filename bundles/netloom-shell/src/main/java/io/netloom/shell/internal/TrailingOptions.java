package io.netloom.shell.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.karaf.shell.api.action.Option;

import io.netloom.api.ValidationException;

/**
 * Karaf reads options only before a command's first argument; Netloom's commands also take them after it
 * ({@code vnet:explain FROM TO --protocol tcp --port 80}, {@code vnet:route-list NET --json}). Commands with
 * arguments collect what follows in a multi-valued argument named {@code trailing}; this applies those tokens to the
 * command's {@link Option} fields as Karaf would have.
 */
final class TrailingOptions {

    private TrailingOptions() {
    }

    @SuppressWarnings("unchecked")
    static void apply(Object command) throws IllegalAccessException {
        Field trailingField = field(command.getClass(), "trailing");
        if (trailingField == null) {
            return;
        }
        trailingField.setAccessible(true);
        List<String> trailing = (List<String>) trailingField.get(command);
        if (trailing == null || trailing.isEmpty()) {
            return;
        }
        Iterator<String> tokens = trailing.iterator();
        while (tokens.hasNext()) {
            String token = tokens.next();
            Field option = optionField(command.getClass(), token);
            if (option == null) {
                throw new ValidationException("UNKNOWN_OPTION", "Unknown option or extra argument '" + token + "'",
                        token);
            }
            option.setAccessible(true);
            Class<?> type = option.getType();
            if (type == boolean.class || type == Boolean.class) {
                option.set(command, true);
                continue;
            }
            if (!tokens.hasNext()) {
                throw new ValidationException("MISSING_VALUE", "The option " + token + " needs a value", token);
            }
            String value = tokens.next();
            if (type == String.class) {
                option.set(command, value);
            } else if (type == int.class || type == Integer.class) {
                try {
                    option.set(command, Integer.valueOf(value));
                } catch (NumberFormatException e) {
                    throw new ValidationException("INVALID_NUMBER", "The option " + token + " takes a number",
                            token);
                }
            } else if (List.class.isAssignableFrom(type)) {
                List<String> list = (List<String>) option.get(command);
                List<String> updated = list == null ? new ArrayList<>() : new ArrayList<>(list);
                updated.add(value);
                option.set(command, updated);
            } else {
                throw new IllegalStateException("Option " + token + " has an unsupported type " + type);
            }
        }
    }

    private static Field optionField(Class<?> type, String token) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Option option = f.getAnnotation(Option.class);
                if (option == null) {
                    continue;
                }
                if (option.name().equals(token) || List.of(option.aliases()).contains(token)) {
                    return f;
                }
            }
        }
        return null;
    }

    private static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // Look in the superclass.
            }
        }
        return null;
    }
}
