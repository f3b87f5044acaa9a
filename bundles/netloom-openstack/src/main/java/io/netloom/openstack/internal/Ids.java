package io.netloom.openstack.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The id scheme of the OpenStack northbound. Netloom ids ({@code net-3fa2c01b9e44}) are not UUIDs, and the OpenStack
 * clients and Tempest require UUID-shaped ids, so every Netloom object is shown under a stable name-based UUID
 * (RFC 4122 version 3) of its Netloom id: the same object has the same UUID across restarts, and nothing has to be
 * stored. A UUID is resolved back by comparing it with the UUIDs of the objects the caller sees. A project id is the
 * 32-hex-digit form Keystone uses, derived the same way from the tenant's name.
 */
final class Ids {

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private Ids() {
    }

    /**
     * @return the UUID the OpenStack northbound shows for the Netloom object (or rule) with this id
     */
    static String uuidOf(String netloomId) {
        return UUID.nameUUIDFromBytes(("netloom:" + netloomId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * @return the Keystone project id of a Netloom tenant: 32 lower-case hexadecimal digits
     */
    static String projectIdOf(String tenant) {
        return UUID.nameUUIDFromBytes(("netloom-tenant:" + tenant).getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "");
    }

    /**
     * @return the Keystone user id of a user of the realm
     */
    static String userIdOf(String user) {
        return UUID.nameUUIDFromBytes(("netloom-user:" + user).getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "");
    }

    /**
     * @return whether a path segment has the form of a UUID (with or without dashes); anything else is never an id
     */
    static boolean isUuid(String text) {
        return text != null && UUID_FORM.matcher(text).matches();
    }

    /**
     * @return the canonical (dashed, lower-case) form of a UUID-shaped text
     */
    static String canonical(String uuid) {
        String hex = uuid.replace("-", "").toLowerCase(Locale.ROOT);
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    /**
     * @return the object among those given whose Netloom id has this UUID
     */
    static <T> Optional<T> find(Collection<T> objects, Function<T, String> netloomId, String uuid) {
        if (!isUuid(uuid)) {
            return Optional.empty();
        }
        String wanted = canonical(uuid);
        return objects.stream().filter(o -> uuidOf(netloomId.apply(o)).equals(wanted)).findFirst();
    }
}
