package io.netloom.ovsdb.jsonrpc;

import com.google.gson.JsonArray;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what a {@link JsonRpcConnection} does not handle itself: notifications and the end of the connection.
 * Called on the connection's reader thread, in stream order; implementations must not block.
 */
@ConsumerType
public interface JsonRpcHandler {

    /**
     * Handles a notification, a message with a method and a null id, such as {@code update} or {@code update2}.
     * An exception thrown here is logged and the connection goes on.
     *
     * @param method the method
     * @param params the parameters (an empty array when absent)
     */
    void onNotification(String method, JsonArray params);

    /**
     * Called once when the connection ends, after every pending request has been failed.
     *
     * @param cause empty after {@link JsonRpcConnection#close()}, otherwise why the connection was lost
     */
    void onClosed(Optional<Throwable> cause);
}
