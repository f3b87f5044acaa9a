// Topology: networks with their ports around them, peerings between networks, coloured by status and state, and
// redrawn when /topology changes (polled every 2 s while the page is open and visible).

import { get } from '../api.js';
import { colour, errorBanner, esc, handleSessionEnd } from '../ui.js';

const POLL_MS = 2000;
const NET_R = 40;
const PORT_R = 5;
const RING_GAP = 14;
const PORT_SPACING = 13;
const CLUSTER_GAP = 70;
const LABELLED_PORTS = 8;
const SPOKED_PORTS = 40;
const NODE_W = 150;
const NODE_H = 30;

const byCreation = (a, b) => (a.createdAt || '').localeCompare(b.createdAt || '') || a.name.localeCompare(b.name);

/**
 * A network and the rings its ports sit on; answers the cluster with its radius (ports and labels included).
 * Where on the rings the ports go is decided once clusters are placed (see placePorts).
 */
function cluster(network, ports) {
  const rings = [];
  let radius = NET_R;
  let done = 0;
  while (done < ports.length) {
    radius = NET_R + 8 + (rings.length + 1) * RING_GAP;
    const capacity = Math.max(6, Math.floor((2 * Math.PI * radius) / PORT_SPACING));
    const count = Math.min(capacity, ports.length - done);
    rings.push({ radius, ports: ports.slice(done, done + count) });
    done += count;
  }
  const labelled = ports.length <= LABELLED_PORTS;
  const outer = (ports.length > 0 ? radius + PORT_R : NET_R) + (labelled && ports.length > 0 ? 56 : 0) + 16;
  return { network, rings, ports: [], ringRadius: radius, labelled, radius: outer, x: 0, y: 0 };
}

/**
 * Spreads the ports of a cluster around it, turned so that the direction of its first peering falls between
 * two ports: a peering edge then does not run over a port.
 */
function placePorts(c, avoidAngle) {
  c.rings.forEach((ring, r) => {
    const count = ring.ports.length;
    const step = (2 * Math.PI) / count;
    ring.ports.forEach((port, i) => {
      const angle = avoidAngle + step / 2 + step * i + (r % 2) * (step / 2);
      c.ports.push({ port, angle, x: Math.cos(angle) * ring.radius, y: Math.sin(angle) * ring.radius });
    });
  });
}

/** The cluster of the first drawn network that a network is peered with, if any. */
function firstPeer(networkId, peerings, clustersById) {
  for (const p of peerings) {
    const other = p.network === networkId ? p.peerNetwork : (p.peerNetwork === networkId ? p.network : null);
    if (other && clustersById.has(other)) {
      return clustersById.get(other);
    }
  }
  return null;
}

/** Places clusters on a circle far enough apart that neighbours do not overlap. */
function placeClusters(clusters) {
  const n = clusters.length;
  if (n <= 1) {
    return;
  }
  const widths = clusters.map((c) => 2 * c.radius + CLUSTER_GAP);
  const circumference = widths.reduce((a, b) => a + b, 0);
  const angles = [];
  let run = 0;
  for (const w of widths) {
    angles.push(-Math.PI / 2 + ((run + w / 2) / circumference) * 2 * Math.PI);
    run += w;
  }
  let R = circumference / (2 * Math.PI);
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    let theta = Math.abs(angles[j] - angles[i]);
    theta = Math.min(theta, 2 * Math.PI - theta);
    const needed = (clusters[i].radius + clusters[j].radius + CLUSTER_GAP / 2) / (2 * Math.sin(theta / 2));
    R = Math.max(R, needed);
  }
  clusters.forEach((c, i) => {
    c.x = Math.cos(angles[i]) * R;
    c.y = Math.sin(angles[i]) * R;
  });
}

function bounds(clusters) {
  if (clusters.length === 0) {
    return { minX: -200, minY: -100, maxX: 200, maxY: 100 };
  }
  return {
    minX: Math.min(...clusters.map((c) => c.x - c.radius)),
    minY: Math.min(...clusters.map((c) => c.y - c.radius)),
    maxX: Math.max(...clusters.map((c) => c.x + c.radius)),
    maxY: Math.max(...clusters.map((c) => c.y + c.radius)),
  };
}

const fmt = (v) => v.toFixed(1);

function drawNodes(nodes, box) {
  const total = nodes.length * NODE_W + (nodes.length - 1) * 20;
  const y = box.minY - NODE_H - 40;
  const centre = (box.minX + box.maxX) / 2;
  const placed = new Map();
  const svg = nodes.map((node, i) => {
    const x = centre - total / 2 + i * (NODE_W + 20);
    placed.set(node.id, { x: x + NODE_W / 2, y: y + NODE_H });
    return `<g class="node" data-id="${esc(node.id)}" data-status="${esc(node.status)}">`
      + `<rect x="${fmt(x)}" y="${fmt(y)}" width="${NODE_W}" height="${NODE_H}" rx="6" fill="#f7f9fb"`
      + ` stroke="${colour(node.status)}" stroke-width="2"/>`
      + `<text class="label" x="${fmt(x + NODE_W / 2)}" y="${fmt(y + 19)}" text-anchor="middle">`
      + `${esc(node.id)}</text><title>${esc(`${node.id}: driver ${node.driver}, ${node.status}`)}</title></g>`;
  }).join('');
  return { svg, placed, top: nodes.length > 0 ? y : box.minY };
}

function drawRealisation(links, clustersById, nodes) {
  return links.filter((l) => l.kind === 'realisation' && clustersById.has(l.from) && nodes.has(l.to)).map((l) => {
    const c = clustersById.get(l.from);
    const n = nodes.get(l.to);
    return `<line class="link realisation" x1="${fmt(c.x)}" y1="${fmt(c.y)}" x2="${fmt(n.x)}" y2="${fmt(n.y)}"`
      + ' stroke="#c5ced8" stroke-width="1" stroke-dasharray="3 4"/>';
  }).join('');
}

function drawPeerings(peerings, clustersById) {
  const pairs = new Map();
  for (const p of peerings) {
    const key = [p.network, p.peerNetwork].sort().join(' ');
    pairs.set(key, (pairs.get(key) || []).concat(p));
  }
  let edges = '';
  let labels = '';
  for (const group of pairs.values()) {
    group.forEach((p, k) => {
      const a = clustersById.get(p.network);
      const b = clustersById.get(p.peerNetwork);
      if (!a || !b) {
        return;
      }
      // Several peerings between the same two networks bend apart so that each stays visible.
      const bend = (k - (group.length - 1) / 2) * 50;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const length = Math.hypot(dx, dy) || 1;
      const cx = (a.x + b.x) / 2 - (dy / length) * bend;
      const cy = (a.y + b.y) / 2 + (dx / length) * bend;
      const stroke = colour(p.state);
      const dash = p.state === 'ACTIVE' ? '' : ' stroke-dasharray="10 6"';
      edges += `<path class="edge peering" data-id="${esc(p.id)}" data-name="${esc(p.name)}"`
        + ` data-state="${esc(p.state)}" data-from="${esc(p.network)}" data-to="${esc(p.peerNetwork)}"`
        + ` d="M${fmt(a.x)} ${fmt(a.y)} Q${fmt(cx)} ${fmt(cy)} ${fmt(b.x)} ${fmt(b.y)}" fill="none"`
        + ` stroke="${stroke}" stroke-width="5" stroke-linecap="round"${dash}>`
        + `<title>${esc(`Peering ${p.name}: ${p.state}${p.stateDetail ? ` (${p.stateDetail})` : ''}`)}</title></path>`;
      const mx = 0.25 * a.x + 0.5 * cx + 0.25 * b.x;
      const my = 0.25 * a.y + 0.5 * cy + 0.25 * b.y;
      labels += `<text class="edge-label" x="${fmt(mx)}" y="${fmt(my - 8)}" text-anchor="middle" fill="${stroke}">`
        + `${esc(p.name)} · ${esc(p.state)}</text>`;
    });
  }
  return { edges, labels };
}

function drawCluster(c) {
  const n = c.network;
  let out = `<g class="cluster" transform="translate(${fmt(c.x)} ${fmt(c.y)})">`;
  if (c.ports.length <= SPOKED_PORTS) {
    out += c.ports.map((p) => `<line class="link attachment" x1="0" y1="0" x2="${fmt(p.x)}" y2="${fmt(p.y)}"`
      + ' stroke="#d6dde6" stroke-width="1.5"/>').join('');
  }
  const cidrs = n.cidrs.length > 1 ? `${n.cidrs[0]} +${n.cidrs.length - 1}` : (n.cidrs[0] || '');
  out += `<g class="network" data-id="${esc(n.id)}" data-name="${esc(n.name)}" data-status="${esc(n.status)}">`
    + `<circle r="${NET_R}" fill="#ffffff" stroke="${colour(n.status)}" stroke-width="4"/>`
    + `<text class="label" y="0" text-anchor="middle">${esc(n.name.length > 10 ? `${n.name.slice(0, 9)}…` : n.name)}`
    + `</text><text class="small-label" y="15" text-anchor="middle">${esc(cidrs)}</text>`
    + `<title>${esc(`Network ${n.name} ${n.cidrs.join(', ')} (${n.driver}): ${n.status}`)}</title></g>`;
  for (const p of c.ports) {
    const port = p.port;
    out += `<circle class="port" data-id="${esc(port.id)}" data-name="${esc(port.name)}"`
      + ` data-status="${esc(port.status)}" cx="${fmt(p.x)}" cy="${fmt(p.y)}" r="${PORT_R}"`
      + ` fill="${colour(port.status)}" stroke="#ffffff" stroke-width="1">`
      + `<title>${esc(`Port ${port.name} ${port.ip || '(no address)'}: ${port.status}`)}</title></circle>`;
    if (c.labelled) {
      const lx = Math.cos(p.angle) * (c.ringRadius + 12);
      const ly = Math.sin(p.angle) * (c.ringRadius + 12) + 4;
      const anchor = Math.abs(Math.cos(p.angle)) < 0.3 ? 'middle' : (Math.cos(p.angle) > 0 ? 'start' : 'end');
      out += `<text class="small-label" x="${fmt(lx)}" y="${fmt(ly)}" text-anchor="${anchor}">`
        + `${esc(port.name)}</text>`;
    }
  }
  return `${out}</g>`;
}

/** The whole picture as one SVG string. */
export function drawTopology(topology) {
  const portsByNetwork = new Map();
  for (const p of [...topology.ports].sort(byCreation)) {
    portsByNetwork.set(p.network, (portsByNetwork.get(p.network) || []).concat(p));
  }
  const clusters = [...topology.networks].sort(byCreation).map((n) => cluster(n, portsByNetwork.get(n.id) || []));
  placeClusters(clusters);
  const clustersById = new Map(clusters.map((c) => [c.network.id, c]));
  for (const c of clusters) {
    const peer = firstPeer(c.network.id, topology.peerings || [], clustersById);
    placePorts(c, peer ? Math.atan2(peer.y - c.y, peer.x - c.x) : -Math.PI / 2);
  }
  const box = bounds(clusters);
  const nodes = drawNodes(topology.nodes || [], box);
  const realisation = drawRealisation(topology.links || [], clustersById, nodes.placed);
  const peerings = drawPeerings(topology.peerings || [], clustersById);
  const empty = clusters.length === 0
    ? '<text class="label" x="0" y="0" text-anchor="middle">No network yet</text>' : '';
  const margin = 24;
  const minY = nodes.top - margin;
  const width = Math.max(box.maxX - box.minX + 2 * margin, NODE_W * (topology.nodes || []).length + 40);
  const height = box.maxY - minY + margin;
  const x0 = (box.minX + box.maxX) / 2 - width / 2;
  return `<svg id="topology-svg" role="img" aria-label="Network topology"`
    + ` viewBox="${fmt(x0)} ${fmt(minY)} ${fmt(width)} ${fmt(height)}">`
    + `<g class="realisation-links">${realisation}</g><g class="edges">${peerings.edges}</g>`
    + `<g class="clusters">${clusters.map(drawCluster).join('')}</g>`
    + `<g class="edge-labels">${peerings.labels}</g><g class="nodes">${nodes.svg}</g>${empty}</svg>`;
}

export default {
  title: 'Topology',
  render(section) {
    section.innerHTML = `<div class="page-head"><h1>Topology</h1>
        <span class="muted" id="topology-status" aria-live="polite">Loading…</span></div>
      <div class="legend">
        <span><i class="ok"></i>ACTIVE</span><span><i class="warn"></i>PENDING, awaiting acceptance</span>
        <span><i class="bad"></i>DRIVER_MISSING, ERROR, FAILED</span><span><i></i>REJECTED, EXPIRED</span>
        <span>● port &nbsp;◯ network &nbsp;▭ data-plane node &nbsp;— peering</span>
      </div>
      <div id="topology-error"></div>
      <div class="topology-wrap" id="topology"></div>`;
    const canvas = section.querySelector('#topology');
    const status = section.querySelector('#topology-status');
    const problem = section.querySelector('#topology-error');
    let last = null;
    let timer = null;
    let stopped = false;
    let draws = 0;

    async function refresh() {
      if (document.hidden) {
        return;
      }
      try {
        const topology = await get('/topology');
        const text = JSON.stringify(topology);
        problem.innerHTML = '';
        if (text !== last && !stopped) {
          last = text;
          canvas.innerHTML = drawTopology(topology);
          draws += 1;
          section.dataset.draws = String(draws);
        }
        status.textContent = `Live · ${topology.networks.length} network(s), ${topology.ports.length} port(s),`
          + ` ${topology.peerings.length} peering(s) · checked ${new Date().toLocaleTimeString()}`;
      } catch (error) {
        if (handleSessionEnd(error)) {
          stopped = true;
          return;
        }
        // Kept polling: the topology bundle may come back (it answers 503 while stopped).
        problem.innerHTML = errorBanner(error);
      }
    }

    async function loop() {
      await refresh();
      if (!stopped) {
        timer = setTimeout(loop, POLL_MS);
      }
    }

    loop();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  },
};
