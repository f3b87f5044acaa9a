package io.netloom.ovsdb;

import io.netloom.ovsdb.operations.Condition;
import io.netloom.ovsdb.operations.Insert;
import io.netloom.ovsdb.operations.Mutate;
import io.netloom.ovsdb.operations.Operation;
import io.netloom.ovsdb.operations.Wait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Transactions and polling shared by the tests against a real ovsdb-server. */
final class OvsdbTestSupport {

    private OvsdbTestSupport() {
    }

    /**
     * The "create bridge with one internal port if absent" transaction a driver sends: a wait prerequisite, then
     * Interface, Port and Bridge rows linked by named UUIDs, and the Bridge added to the root row.
     */
    static List<Operation> createBridgeIfAbsent(String bridge, String port, Map<String, String> externalIds) {
        Insert iface = Insert.into("Interface").withUuidName("iface").value("name", port).value("type", "internal")
                .value("external_ids", externalIds);
        Insert portRow = Insert.into("Port").withUuidName("port").value("name", port).value("interfaces", iface.ref());
        Insert bridgeRow = Insert.into("Bridge").withUuidName("bridge").value("name", bridge)
                .value("ports", portRow.ref());
        Mutate root = Mutate.table("Open_vSwitch").allRows().insert("bridges", bridgeRow.ref());
        return List.of(Wait.absent("Bridge", Condition.equal("name", bridge)), iface, portRow, bridgeRow, root);
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static List<String> liveOvsdbThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("ovsdb-")).toList();
    }
}
