package io.netloom.benchmarks.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CNI plugin does for the alternatives, done the fastest way the tools allow: one {@code ip -batch} creates
 * every veth pair (the inner end, {@code eth0}, created directly in the port's namespace with the port's MAC), then
 * one {@code ip -n NS -batch} per namespace gives it the port's address, brings it up and adds the default route via
 * the subnet gateway. Netloom's drivers do the same work for a port bound to a namespace.
 */
final class Plumbing {

    private static final int THREADS = 4;

    private Plumbing() {
    }

    /**
     * @param ports the ports to plumb; their namespaces must exist
     * @param master for each network, the Linux bridge the outer end joins, or {@code null} for none
     * @return the outer device of each port, by port name
     */
    static Map<String, String> veths(Sandbox sandbox, List<Workload.PortSpec> ports, Map<Integer, String> master) {
        return veths(sandbox, ports, master, Workload.prefixLength());
    }

    /**
     * @param prefixLength the prefix length of the ports' subnet, when it is not the workload's /20
     */
    static Map<String, String> veths(Sandbox sandbox, List<Workload.PortSpec> ports, Map<Integer, String> master,
            int prefixLength) {
        Map<String, String> devices = new LinkedHashMap<>();
        StringBuilder batch = new StringBuilder();
        Map<String, String> inner = new LinkedHashMap<>();
        for (Workload.PortSpec port : ports) {
            String device = sandbox.newDevice("v");
            String ns = sandbox.portNamespace(port.name());
            devices.put(port.name(), device);
            batch.append("link add ").append(device).append(" type veth peer name eth0 address ").append(port.mac())
                    .append(" netns ").append(ns).append('\n');
            batch.append("link set ").append(device);
            if (master != null) {
                batch.append(" master ").append(master.get(port.network()));
            }
            batch.append(" up\n");
            inner.put(ns, "addr add " + port.ip() + "/" + prefixLength + " dev eth0\n"
                    + "link set eth0 up\n"
                    + "route add default via " + Workload.gateway(port.network()) + "\n");
        }
        Sandbox.ipBatch(batch.toString());
        Sandbox.ipBatchPerNamespace(inner, THREADS);
        return devices;
    }
}
