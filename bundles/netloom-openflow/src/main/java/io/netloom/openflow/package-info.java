/**
 * Netloom's OpenFlow 1.3 channel: {@link io.netloom.openflow.OpenFlowChannel} connects to a switch's OpenFlow
 * listener and sends flow mods, barriers, flow-stats requests and atomic bundles.
 *
 * <p>An ARP responder, a conntrack pipeline and a delete by cookie:
 *
 * <pre>{@code
 * try (OpenFlowChannel ch = OpenFlowChannel.connect("unix:/var/run/openvswitch/br-int.mgmt")) {
 *     FlowMod arp = FlowMod.add(0).cookie(0xa1).priority(100)
 *             .match(Match.builder().ethType(0x0806).set(OxmField.ARP_OP, 1)
 *                     .set(OxmField.ARP_TPA, "10.0.0.1").build())
 *             .instructions(Instruction.applyActions(
 *                     Action.move(OxmField.ETH_SRC, OxmField.ETH_DST),
 *                     Action.setField(OxmField.ETH_SRC, "aa:bb:cc:dd:ee:ff"),
 *                     Action.setField(OxmField.ARP_OP, 2),
 *                     Action.move(OxmField.ARP_SHA, OxmField.ARP_THA),
 *                     Action.setField(OxmField.ARP_SHA, "aa:bb:cc:dd:ee:ff"),
 *                     Action.move(OxmField.ARP_SPA, OxmField.ARP_TPA),
 *                     Action.setField(OxmField.ARP_SPA, "10.0.0.1"),
 *                     Action.output(Ports.IN_PORT)))
 *             .build();
 *     FlowMod track = FlowMod.add(1).cookie(0xa3).priority(50)
 *             .match(Match.builder().ethType(0x0800).build())          // ct needs an IP match
 *             .instructions(Instruction.applyActions(Action.ct(5, 2)))  // ct(zone=5,table=2)
 *             .build();
 *     FlowMod commit = FlowMod.add(2).cookie(0xa4).priority(40)
 *             .match(Match.builder().ctState(CtState.parse("+trk+new")).ethType(0x0800).build())
 *             .instructions(Instruction.applyActions(Action.ctCommit(5), Action.output(2)))
 *             .build();
 *     ch.atomically(List.of(arp, track, commit)).get();           // all or nothing
 *     ch.sendConfirmed(List.of(FlowMod.deleteByCookie(0xa0, 0xf0))).get();  // every table
 * }
 * }</pre>
 */
@Export
@Version("0.2.0")
package io.netloom.openflow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
