// Overview: how much there is, whether the drivers are healthy, what is not realised yet, and recent changes.

import { getAll } from '../api.js';
import { badge, errorBanner, esc, table, when } from '../ui.js';

const BACKLOG_SHOWN = 20;

function card(label, result, href, id) {
  const count = result.error ? '?' : result.value.length;
  return `<a class="card" href="${href}" id="${id}"><span class="count">${esc(count)}</span>`
    + `<span class="label">${esc(label)}</span></a>`;
}

function driversTable(result) {
  if (result.error) {
    return errorBanner(result.error);
  }
  const rows = result.value.map((d) => `<tr><td>${esc(d.type)}</td><td>${esc(d.name)}</td>`
    + `<td>${badge(d.status)}</td><td class="wrap">${esc(d.detail)}</td></tr>`);
  return table(['Type', 'Driver', 'Status', 'Detail'], rows, { empty: 'No driver is registered.' });
}

function backlogTable(networks, ports) {
  const pending = [];
  for (const n of networks.value || []) {
    if (n.status !== 'ACTIVE') {
      pending.push({ kind: 'network', href: `#/networks/${encodeURIComponent(n.id)}`, ...n });
    }
  }
  for (const p of ports.value || []) {
    if (p.status !== 'ACTIVE') {
      pending.push({ kind: 'port', href: `#/networks/${encodeURIComponent(p.network)}`, ...p });
    }
  }
  const rows = pending.slice(0, BACKLOG_SHOWN).map((o) => `<tr><td>${esc(o.kind)}</td>`
    + `<td><a href="${esc(o.href)}">${esc(o.name)}</a></td><td>${badge(o.status)}</td>`
    + `<td class="wrap">${esc(o.statusDetail)}</td></tr>`);
  const more = pending.length > BACKLOG_SHOWN
    ? `<p class="muted">and ${pending.length - BACKLOG_SHOWN} more</p>` : '';
  return `<p class="muted" id="backlog-count">${pending.length} object(s) not ACTIVE on a data plane</p>`
    + table(['Kind', 'Name', 'Status', 'Detail'], rows, { empty: 'Everything is realised.' }) + more;
}

function auditTable(result) {
  if (result.error) {
    return errorBanner(result.error);
  }
  const rows = result.value.map((a) => `<tr><td>${esc(a.sequence)}</td><td>${esc(when(a.at))}</td>`
    + `<td>${esc(a.user)}</td><td>${esc(a.via)}</td><td>${esc(a.action)}</td>`
    + `<td class="mono">${esc(a.objectId)}</td></tr>`);
  return table(['#', 'When', 'User', 'Via', 'Action', 'Object'], rows, { empty: 'No change yet.', id: 'audit' });
}

export default {
  title: 'Overview',
  async render(section) {
    section.innerHTML = '<div class="page-head"><h1>Overview</h1></div><p class="muted">Loading…</p>';
    const [networks, ports, peerings, groups, drivers, audit] = await getAll(
      ['/networks', '/ports', '/peerings', '/security-groups', '/drivers', '/audit?limit=10']);
    const failed = [networks, ports, peerings, groups].find((r) => r.error);
    section.innerHTML = `<div class="page-head"><h1>Overview</h1></div>
      ${failed ? errorBanner(failed.error) : ''}
      <div class="cards">
        ${card('Networks', networks, '#/networks', 'count-networks')}
        ${card('Ports', ports, '#/ports', 'count-ports')}
        ${card('Peerings', peerings, '#/peerings', 'count-peerings')}
        ${card('Security groups', groups, '#/security-groups', 'count-groups')}
      </div>
      <div class="columns">
        <div><h2>Driver health</h2>${driversTable(drivers)}</div>
        <div><h2>Realisation backlog</h2>${backlogTable(networks, ports)}</div>
      </div>
      <h2>Recent changes</h2>${auditTable(audit)}`;
  },
};
