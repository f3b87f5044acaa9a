package io.netloom.openstack.internal;

import java.util.List;

import com.google.gson.JsonObject;

/**
 * One Neutron collection ({@code networks}, {@code subnets}…) over the model services. Items come and go rendered as
 * Neutron JSON objects; the servlet applies {@code fields=}, filters, envelopes and errors.
 */
interface Resource {

    /** @return the collection's name in the URL and in list bodies, such as {@code networks} */
    String collection();

    /** @return the name of one item in bodies, such as {@code network} */
    String member();

    /** @return every item the token's caller sees */
    List<JsonObject> list(Token token);

    /**
     * @return the item with this UUID
     * @throws NeutronException 404 when the caller sees none
     */
    JsonObject show(Token token, String uuid);

    /**
     * Creates the items of one request: all of them or, on a refusal, none.
     *
     * @return the created items, rendered
     */
    List<JsonObject> create(Token token, List<JsonObject> items);

    /** @return the updated item */
    JsonObject update(Token token, String uuid, JsonObject changes);

    void delete(Token token, String uuid);
}
