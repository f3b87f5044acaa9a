package io.netloom.benchmarks.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * One configuration, described once and given to every system compared, so that each builds exactly the same
 * thing: {@code networks} networks of one subnet each ({@code 10.200.16i.0/20}, gateway {@code .1}), {@code ports}
 * ports spread round-robin over them with fixed addresses and MACs, and security groups of {@code rulesPerGroup}
 * ingress rules (one ICMP rule, the others TCP ports 8001 and up, all from {@code 10.200.0.0/16}): one group per
 * network, or one per port.
 *
 * @param networks how many networks (at most 16: each takes a /20 of 10.200.0.0/16)
 * @param ports how many ports in all
 * @param rulesPerGroup rules in each security group
 * @param groupPerPort whether each port has its own group (else the ports of a network share one)
 */
record Workload(int networks, int ports, int rulesPerGroup, boolean groupPerPort) {

    /** Every address the harness uses lies in here. */
    static final String SPACE = "10.200.0.0/16";
    private static final int FIRST_HOST = 10;

    /** A port of the workload. */
    record PortSpec(int index, int network, String name, String ip, String mac, String group) {
    }

    /** An ingress rule of every group. */
    record RuleSpec(String protocol, Integer port) {
    }

    Workload {
        if (networks < 1 || networks > 16) {
            throw new IllegalArgumentException("networks must be 1 to 16, not " + networks);
        }
        if (ports / networks + FIRST_HOST + 2 > 4094) {
            throw new IllegalArgumentException(ports + " ports do not fit into " + networks + " /20 subnets");
        }
        if (rulesPerGroup < 1) {
            throw new IllegalArgumentException("rulesPerGroup must be at least 1");
        }
    }

    static String networkName(int network) {
        return "n" + network;
    }

    static String subnetName(int network) {
        return "s" + network;
    }

    static String cidr(int network) {
        return "10.200." + (16 * network) + ".0/20";
    }

    static String gateway(int network) {
        return "10.200." + (16 * network) + ".1";
    }

    static int prefixLength() {
        return 20;
    }

    /** @return the name of a group (the same in Netloom and, as port group, in OVN) */
    static String groupName(int group) {
        return "g" + group;
    }

    /** @return the ports, in creation order */
    List<PortSpec> portSpecs() {
        List<PortSpec> specs = new ArrayList<>(ports);
        for (int k = 0; k < ports; k++) {
            int network = k % networks;
            specs.add(port(k, network, k / networks, "p" + network + "-" + k / networks,
                    groupPerPort ? groupName(k) : groupName(network)));
        }
        return specs;
    }

    /**
     * @return an extra port of network 0 with the next free address, in that network's group
     */
    PortSpec extraPort(String name, int serial) {
        int host = (ports + networks - 1) / networks + serial;
        return port(1_000_000 + serial, 0, host, name, groupPerPort ? groupName(1_000_000 + serial) : groupName(0));
    }

    private static PortSpec port(int index, int network, int host, String name, String group) {
        int offset = FIRST_HOST + host;
        String ip = "10.200." + (16 * network + offset / 256) + "." + (offset % 256);
        String mac = String.format("02:4e:%02x:%02x:%02x:%02x", network, (index >> 16) & 0xff, (index >> 8) & 0xff,
                index & 0xff);
        return new PortSpec(index, network, name, ip, mac, group);
    }

    /** @return how many groups there are */
    int groups() {
        return groupPerPort ? ports : networks;
    }

    /** @return the network of a group's ports */
    int groupNetwork(int group) {
        return groupPerPort ? group % networks : group;
    }

    /** @return the rules of every group, first the ICMP one */
    List<RuleSpec> rules() {
        List<RuleSpec> rules = new ArrayList<>(rulesPerGroup);
        rules.add(new RuleSpec("icmp", null));
        for (int r = 1; r < rulesPerGroup; r++) {
            rules.add(new RuleSpec("tcp", 8000 + r));
        }
        return rules;
    }
}
