// The port table and the port form, shared by the ports page and a network's page.

import { badge, deleteButton, esc, field, gridRow, gridTable, select } from '../ui.js';

/**
 * The ports as a gridTable (fast with thousands of rows). With networkNames it has a network column (all ports),
 * with subnetNames a subnet column (one network's ports); the other maps are id → name for groups. With quarantine,
 * each row has a button to quarantine the port or release it (actions "quarantine" and "release").
 */
export function portTable(ports, { networkNames, subnetNames, groupNames }, { id, empty, quarantine = false }) {
  const headings = ['Name', ...(networkNames ? ['Network'] : []), ...(subnetNames ? ['Subnet'] : []),
    'IP', 'MAC', 'Groups', 'Binding', 'Status', 'Id', ''];
  const name = (names, key) => esc(names && names.has(key) ? names.get(key) : key);
  const rows = new Array(ports.length);
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    const groups = p.securityGroups.length === 0 ? '<span class="muted">network default</span>'
      : p.securityGroups.map((g) => name(groupNames, g)).join(', ');
    const cells = [`<span title="${esc(p.name)}">${esc(p.name)}</span>`];
    if (networkNames) {
      cells.push(`<a href="#/networks/${esc(encodeURIComponent(p.network))}">${name(networkNames, p.network)}</a>`);
    }
    if (subnetNames) {
      cells.push(name(subnetNames, p.subnet));
    }
    cells.push(esc(p.ip), `<span class="mono">${esc(p.mac)}</span>`, groups,
      (p.binding ? `${esc(p.binding.type)}: ${esc(p.binding.target)} ` : '')
        + (p.host ? `<span class="muted" data-host="${esc(p.host)}">on ${esc(p.host)}</span>` : ''),
      // A quarantined port shows that first; its realisation status stays in the tooltip.
      p.quarantined
        ? `<span title="${esc(`Quarantined; ${p.status}${p.statusDetail ? `: ${p.statusDetail}` : ''}`)}">`
          + `${badge('QUARANTINED')}</span>`
        : `<span title="${esc(p.statusDetail)}">${badge(p.status)}</span>`,
      `<span class="mono">${esc(p.id)}</span>`,
      (quarantine ? quarantineButton(p) : '') + deleteButton(p.id, p.name));
    rows[i] = gridRow(`data-id="${esc(p.id)}" data-name="${esc(p.name)}" data-status="${esc(p.status)}"`
      + ` data-quarantined="${p.quarantined ? 'true' : 'false'}"`, cells);
  }
  return gridTable(headings, rows, {
    cols: networkNames ? 'cols-ports' : 'cols-network-ports', id, empty, label: 'Ports',
  });
}

/** Isolates a port at once (administrators only), or lifts its quarantine. */
function quarantineButton(p) {
  return p.quarantined
    ? `<button type="button" class="small" data-action="release" data-id="${esc(p.id)}"`
      + ` aria-label="Release ${esc(p.name)} from quarantine">Release</button> `
    : `<button type="button" class="small danger" data-action="quarantine" data-id="${esc(p.id)}"`
      + ` aria-label="Quarantine ${esc(p.name)}">Quarantine</button> `;
}

/**
 * The fields of a new port. With networks given the user picks the network; otherwise the page's network is
 * fixed and its subnets are offered.
 */
export function portFields({ networks, subnets = [], groups = [] }) {
  const networkField = networks ? select({
    label: 'Network', name: 'network',
    options: [{ value: '', label: '(choose)' }, ...networks.map((n) => ({ value: n.id, label: n.name }))],
  }) : '';
  return field({ label: 'Name', name: 'name', placeholder: 'vm1' })
    + networkField
    + select({
      label: 'Subnet', name: 'subnet',
      options: [{ value: '', label: '(any with room)' },
        ...subnets.map((s) => ({ value: s.id, label: `${s.name} ${s.cidr}` }))],
    })
    + field({ label: 'IP (optional)', name: 'ip', placeholder: 'automatic', cls: 'narrow' })
    + field({ label: 'MAC (optional)', name: 'mac', placeholder: 'automatic', cls: 'narrow' })
    + select({
      label: 'Security groups', name: 'securityGroups', multiple: true,
      options: groups.map((g) => ({ value: g.id, label: g.name })),
    })
    + field({ label: 'Namespace (optional)', name: 'binding.target', placeholder: 'ns-a', cls: 'narrow' });
}

/** The request body of POST /ports from the form's values. */
export function portBody(values, networkId) {
  const body = { name: values.name, network: networkId || values.network };
  for (const key of ['subnet', 'ip', 'mac']) {
    if (values[key]) {
      body[key] = values[key];
    }
  }
  if (values.securityGroups && values.securityGroups.length > 0) {
    body.securityGroups = values.securityGroups;
  }
  if (values['binding.target']) {
    body.binding = { type: 'netns', target: values['binding.target'] };
  }
  return body;
}

/** Fills a subnet select with the subnets of a network. */
export function fillSubnets(selectElement, subnets) {
  selectElement.innerHTML = `<option value="">(any with room)</option>${subnets.map((s) => `<option value="${
    esc(s.id)}">${esc(s.name)} ${esc(s.cidr)}</option>`).join('')}`;
}
