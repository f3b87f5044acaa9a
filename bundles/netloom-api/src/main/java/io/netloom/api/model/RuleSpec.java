package io.netloom.api.model;

/**
 * A request to add a rule to a security group, as the user wrote it.
 *
 * @param direction {@code ingress} or {@code egress}
 * @param protocol {@code tcp}, {@code udp}, {@code icmp} or {@code any}
 * @param ports {@code "80"} or {@code "8000-8080"} (TCP/UDP only), or {@code null} for every port
 * @param remoteCidr a prefix, or {@code null}
 * @param remoteGroup a security group id or name, or {@code null}
 * @param action {@code allow} or {@code deny}, or {@code null} for allow
 * @param priority 1 to 4096, or {@code null} for {@value Rule#DEFAULT_PRIORITY}
 */
public record RuleSpec(String direction, String protocol, String ports, String remoteCidr, String remoteGroup,
        String action, Integer priority) {
}
