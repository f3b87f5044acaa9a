package io.netloom.rest.internal;

import java.util.Optional;
import java.util.Set;

/**
 * Checks a user name and password and tells the roles the user has.
 */
@FunctionalInterface
interface Authenticator {

    /**
     * @return the user's roles when the credentials are right, empty when they are not
     */
    Optional<Set<String>> authenticate(String user, char[] password);
}
