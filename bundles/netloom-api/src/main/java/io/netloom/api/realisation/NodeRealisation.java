package io.netloom.api.realisation;

import java.util.Objects;

/**
 * How far one node's data plane has caught up with the model.
 *
 * @param node the node, such as {@code node-ovs}
 * @param driver the driver type that programs it
 * @param realisedRevision the highest model revision the node has realised: every change up to it that concerned
 *     the node is applied and read back
 * @param lag how many revisions that concern the node are not yet realised there (0 when it is up to date)
 * @param detail why it lags, empty when it does not
 */
public record NodeRealisation(String node, String driver, long realisedRevision, long lag, String detail) {

    /**
     * Checks that no component is missing.
     */
    public NodeRealisation {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(detail, "detail");
    }
}
