package io.netloom.itests.conformance;

import java.util.Locale;
import java.util.Objects;

import io.netloom.api.model.Protocol;

/**
 * One packet of a new flow a scenario measures: from a port to a port, by the scenario's port names.
 *
 * @param from the sending port's name
 * @param to the receiving port's name
 * @param protocol TCP, UDP or ICMP
 * @param port the destination port for TCP and UDP, 0 for ICMP
 */
public record Probe(String from, String to, Protocol protocol, int port) {

    /**
     * Checks the fields.
     */
    public Probe {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(protocol, "protocol");
        if (protocol == Protocol.ANY) {
            throw new IllegalArgumentException("A probe sends tcp, udp or icmp");
        }
        if (protocol == Protocol.ICMP ? port != 0 : port < 1 || port > 65535) {
            throw new IllegalArgumentException("Port " + port + " for " + protocol);
        }
    }

    /**
     * @return the probe as a person reads it: {@code pa1 -> pb tcp/80}
     */
    public String label() {
        return from + " -> " + to + " " + traffic();
    }

    /**
     * @return {@code icmp}, {@code tcp/80}, {@code udp/53}
     */
    public String traffic() {
        String name = protocol.name().toLowerCase(Locale.ROOT);
        return protocol == Protocol.ICMP ? name : name + "/" + port;
    }
}
