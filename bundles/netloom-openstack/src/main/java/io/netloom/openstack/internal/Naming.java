package io.netloom.openstack.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

import io.netloom.api.model.Names;

/**
 * Names across the two models. Neutron names may be empty; Netloom names may not, so an empty Neutron name is
 * stored as {@code unnamed-} and 12 random hexadecimal digits, and a Netloom name of that form is shown to Neutron
 * as empty. Other Neutron names must be valid Netloom names (1-63 characters of letters, digits, '.', '_', '-').
 */
final class Naming {

    private static final Pattern UNNAMED = Pattern.compile("unnamed-[0-9a-f]{12}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Naming() {
    }

    /**
     * @return the Netloom name for a Neutron name ({@code null} or empty for none)
     * @throws NeutronException 400 when Netloom cannot hold that name
     */
    static String toNetloom(String neutronName) {
        if (neutronName == null || neutronName.isEmpty()) {
            byte[] bytes = new byte[6];
            RANDOM.nextBytes(bytes);
            return "unnamed-" + HexFormat.of().formatHex(bytes);
        }
        if (!Names.isValid(neutronName)) {
            throw NeutronException.invalidInput("'" + neutronName + "' is not a name Netloom can hold: a name is "
                    + "1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return neutronName;
    }

    /**
     * @return the name Neutron shows for a Netloom name
     */
    static String toNeutron(String netloomName) {
        return UNNAMED.matcher(netloomName).matches() ? "" : netloomName;
    }
}
