package io.netloom.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a user's password against the realm of Netloom's users (Karaf's JAAS realm, the users of the SSH console)
 * and tells the user's roles. The realm's login guard counts failures per user and address: a login names the kind
 * of client it comes through and the caller's address, so that the guard throttles and locks out per client kind.
 */
@ProviderType
public interface RealmLogin {

    /**
     * Logs a user in.
     *
     * @param client the kind of client the login comes through, such as {@code netloom-rest} or
     *     {@code netloom-openstack}: the guard keeps its counts per kind
     * @param address the caller's address, as the guard counts it
     * @param user the user name
     * @param password the password; not kept
     * @return accepted with the user's roles, refused, or locked out without the password being tried
     */
    LoginOutcome login(String client, String address, String user, char[] password);
}
