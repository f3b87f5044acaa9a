// Nodes: the data-plane hosts, as /nodes tells; administrators drain a node or take it back.

import { del, get, post, seg } from '../api.js';
import { actionError, badge, errorBanner, esc, handleSessionEnd, onActions, table, when } from '../ui.js';

function drainButton(n) {
  return n.status === 'DRAINING' || (n.statusDetail || '').includes('drained')
    ? `<button type="button" class="small" data-action="resume" data-id="${esc(n.id)}"`
      + ` aria-label="Take ports on ${esc(n.name)} again">Resume</button>`
    : `<button type="button" class="small" data-action="drain" data-id="${esc(n.id)}"`
      + ` aria-label="Drain ${esc(n.name)}">Drain</button>`;
}

function rows(nodes) {
  return nodes.map((n) => `<tr data-id="${esc(n.id)}" data-status="${esc(n.status)}">`
    + `<td>${esc(n.name)}</td><td>${esc(n.driver)}</td>`
    + `<td>${n.local ? '<span class="muted">local</span>' : esc(n.underlayAddress)}</td>`
    + `<td>${esc(n.agentVersion)}</td><td><span title="${esc(n.statusDetail)}">${badge(n.status)}</span></td>`
    + `<td>${esc(n.realisedRevision)}</td><td>${esc(n.portCount)}</td><td>${esc(when(n.lastHeartbeat))}</td>`
    + `<td class="mono">${esc(n.id)}</td><td>${drainButton(n)}</td></tr>`);
}

export default {
  title: 'Nodes',
  async render(section) {
    section.innerHTML = `<div class="page-head"><h1>Nodes</h1>
        <button type="button" class="secondary" id="nodes-refresh">Refresh</button></div>
      <p class="muted">The controller's own node per driver type, and the hosts registered with it. A draining node
        keeps its ports and takes no new ones; a node not heard of in time is DOWN and its ports say NODE_DOWN.</p>
      <div id="node-list">${actionError()}<div class="list"></div></div>`;
    const list = section.querySelector('.list');
    async function show() {
      list.innerHTML = table(['Name', 'Driver', 'Underlay', 'Agent', 'Status', 'Realised', 'Ports',
        'Last heartbeat', 'Id', ''], rows(await get('/nodes')), { empty: 'No node yet.', id: 'nodes-table' });
    }
    section.querySelector('#nodes-refresh').addEventListener('click', () => show().catch((error) => {
      if (!handleSessionEnd(error)) {
        list.innerHTML = errorBanner(error);
      }
    }));
    onActions(section.querySelector('#node-list'), {
      async drain(id) {
        await post(`/nodes/${seg(id)}/drain`);
        await show();
      },
      async resume(id) {
        await del(`/nodes/${seg(id)}/drain`);
        await show();
      },
    });
    await show();
  },
};
