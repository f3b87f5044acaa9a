package io.netloom.api.model;

/** The IP protocol a security-group rule matches. */
public enum Protocol {
    /** TCP, optionally restricted to a port range. */
    TCP,
    /** UDP, optionally restricted to a port range. */
    UDP,
    /** ICMP (ICMPv6 for IPv6). */
    ICMP,
    /** Every protocol. */
    ANY
}
