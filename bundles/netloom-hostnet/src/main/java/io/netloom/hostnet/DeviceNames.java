package io.netloom.hostnet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names of host devices and namespaces made from ids, never from user text: a short prefix saying what the device
 * is, followed by the hexadecimal SHA-256 of the id, cut to the kernel's limit of 15 characters. The same id always
 * gives the same name, so a driver finds its devices again after a restart without keeping any state.
 *
 * <p>With a 4-character prefix 11 hex digits (44 bits) of the hash remain: two ids of one kind collide with
 * probability about n&sup2;/2<sup>45</sup>, negligible for the ports of one host.
 */
public final class DeviceNames {

    /** The kernel's limit for an interface name (IFNAMSIZ less the terminating zero). */
    public static final int MAX_LENGTH = 15;

    /** Longest namespace name accepted from a binding. */
    public static final int MAX_NAMESPACE_LENGTH = 64;

    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9]{0,7}");

    private DeviceNames() {
    }

    /**
     * @param prefix what kind of device it is: a lower-case letter followed by up to 7 letters or digits
     * @param id the id of the object the device realises
     * @return {@code prefix} followed by as many hex digits of SHA-256({@code id}) as fit in 15 characters
     * @throws IllegalArgumentException when the prefix is not one or the id is empty
     */
    public static String of(String prefix, String id) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(id, "id");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("A device name prefix is a lower-case letter and up to 7 letters or "
                    + "digits, not '" + prefix + "'");
        }
        if (id.isEmpty()) {
            throw new IllegalArgumentException("A device name is made from a non-empty id");
        }
        return validate(prefix + sha256Hex(id).substring(0, MAX_LENGTH - prefix.length()));
    }

    /**
     * @param name a device name
     * @return whether it is 1 to 15 characters of {@code [A-Za-z0-9_.-]} and not {@code .} or {@code ..}
     */
    public static boolean isValid(String name) {
        return name != null && DEVICE.matcher(name).matches() && !name.equals(".") && !name.equals("..");
    }

    /**
     * @param name a device name
     * @return the name
     * @throws IllegalArgumentException when it is not {@link #isValid valid}
     */
    public static String validate(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a device name: 1 to " + MAX_LENGTH
                    + " characters of [A-Za-z0-9_.-]");
        }
        return name;
    }

    /**
     * Checks a network namespace name, which comes from a port binding and so from a user: it names a file under
     * {@code /run/netns} and is passed to {@code ip}, so only plain characters are accepted.
     *
     * @param name a namespace name
     * @return the name
     * @throws IllegalArgumentException when it is not 1 to 64 characters of {@code [A-Za-z0-9_.-]}, or is
     *     {@code .} or {@code ..}, or starts with {@code -}
     */
    public static String validateNamespace(String name) {
        if (name == null || !NAMESPACE.matcher(name).matches() || name.equals(".") || name.equals("..")
                || name.startsWith("-")) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name: 1 to " + MAX_NAMESPACE_LENGTH
                    + " characters of [A-Za-z0-9_.-], not starting with '-'");
        }
        return name;
    }

    private static String sha256Hex(String id) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
