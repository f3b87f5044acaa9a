package io.netloom.rest.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

import io.netloom.api.codec.JsonCodec;
import io.netloom.api.store.ModelStore;
import io.netloom.api.store.StoreWrite;

/**
 * {@code Idempotency-Key} on POST: the first answer to a key is kept (durably, in the store), and a retry with the
 * same key and the same request gets that answer again instead of a second change. The same key with a different
 * request is a conflict.
 *
 * <p>The answer is stored just after the change it answers; a crash between the two lets one retry through.
 */
final class Idempotency {

    static final String COLLECTION = "idempotency";
    private static final int MAX_KEY = 255;

    private final ModelStore store;

    Idempotency(ModelStore store) {
        this.store = store;
    }

    /** A kept answer. */
    record Kept(String requestHash, int status, String body, String location) {
    }

    static String checkKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.badRequest("INVALID_IDEMPOTENCY_KEY", "Idempotency-Key is 1-255 printable ASCII "
                    + "characters", "Idempotency-Key");
        }
        return key;
    }

    static String storeKey(String user, String key) {
        return sha256(user + "\n" + key);
    }

    static String requestHash(String method, String path, String body) {
        return sha256(method + "\n" + path + "\n" + body);
    }

    Optional<Kept> find(String storeKey) {
        return store.get(COLLECTION, storeKey).map(json -> JsonCodec.gson().fromJson(json, Kept.class));
    }

    void keep(String storeKey, Kept kept) {
        store.commit(List.of(StoreWrite.put(COLLECTION, storeKey, JsonCodec.gson().toJson(kept))));
    }

    static ApiResponse replay(Kept kept) {
        JsonElement body = kept.body() == null ? null : JsonParser.parseString(kept.body());
        return new ApiResponse(kept.status(), body, kept.location());
    }


    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
