package io.netloom.driver.ovs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the Open vSwitch driver, PID {@code io.netloom.driver.ovs} ({@code etc/io.netloom.driver.ovs.cfg}).
 */
@ObjectClassDefinition(name = "Netloom Open vSwitch driver",
        description = "Where the driver finds Open vSwitch and how it sets up the integration bridge")
@interface OvsDriverConfig {

    @AttributeDefinition(name = "OVSDB remote", description = "unix:/path/db.sock or tcp:HOST:PORT")
    String ovsdb_remote() default "tcp:127.0.0.1:6640";

    @AttributeDefinition(name = "Bridge", description = "The integration bridge Netloom owns")
    String bridge() default "br-int";

    @AttributeDefinition(name = "Datapath type",
            description = "auto (netdev when the kernel has no openvswitch module, else system), system or netdev")
    String datapath_type() default "auto";

    @AttributeDefinition(name = "OpenFlow endpoint", description = "Where the driver reaches the bridge: "
            + "unix:/path/BRIDGE.mgmt, or tcp:HOST:PORT (the bridge is given the controller ptcp:PORT:HOST). Empty: "
            + "the bridge's management socket beside a unix OVSDB remote, else tcp:127.0.0.1:6653")
    String openflow_endpoint() default "";

    @AttributeDefinition(name = "Checksum offload off",
            description = "Turn off TX checksum offload on the namespace end of veth ports; the userspace datapath "
                    + "needs it for TCP and UDP")
    boolean checksum_offload_off() default true;

    @AttributeDefinition(name = "Instance id", required = false, description = "The Netloom instance the bridge and "
            + "the rows the driver makes record as their owner; a bridge of another instance is neither read nor "
            + "changed. Read at start. Empty: generated once and kept in data/netloom/instance-id")
    String instance_id() default "";

    @AttributeDefinition(name = "Underlay interface", required = false, description = "The interface the VXLAN "
            + "overlay is sent from. With underlay.address and the netdev datapath, the driver puts it on a netdev "
            + "bridge of its own (br-phy) with the address; empty: the host's underlay is prepared by hand")
    String underlay_interface() default "";

    @AttributeDefinition(name = "Underlay address", required = false, description = "This node's underlay address "
            + "with its prefix length (10.200.250.11/24), put on the underlay bridge; the node's tunnel address")
    String underlay_address() default "";
}
