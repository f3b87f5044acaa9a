/**
 * Configuring devices inside network namespaces from the controller's own process: routing-netlink requests and the
 * ethtool ioctl, through the C library reached with JNA. Private to the bundle.
 */
package io.netloom.hostnet.netlink;
