/**
 * The C library calls (through JNA) and the routing-netlink messages with which bindings configure namespaces from
 * the controller's own process. Private to the bundle.
 */
package io.netloom.hostnet.netlink;
