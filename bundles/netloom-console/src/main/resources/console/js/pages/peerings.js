// Peerings: request one between two networks, accept or reject it from the peer's side, delete it.

import { del, get, getAll, patch, post, seg } from '../api.js';
import {
  actionError, badge, bindForm, checkbox, confirmed, deleteButton, errorBanner, esc, field, form, moreNote,
  namesById, onActions, select, table, when,
} from '../ui.js';

function rows(peerings, networkNames) {
  const name = (id) => esc(networkNames.get(id) || id);
  return peerings.map((p) => {
    const pending = p.state === 'PENDING_ACCEPTANCE';
    const decide = pending ? `<button type="button" class="small" data-action="accept" data-id="${esc(p.id)}">`
      + 'Accept</button> <button type="button" class="small secondary" data-action="reject"'
      + ` data-id="${esc(p.id)}">Reject</button> ` : '';
    const active = p.state === 'ACTIVE';
    const sync = active && p.syncState !== 'IN_SYNC' ? `<button type="button" class="small" data-action="sync"`
      + ` data-id="${esc(p.id)}">Sync</button> ` : '';
    // Each flag toggles with one PATCH; a deleted peering keeps its flags as they were.
    const toggle = (flag, label) => (p.state === 'DELETED' ? '' : `<button type="button" class="small secondary"`
      + ` data-action="toggle-${flag}" data-id="${esc(p.id)}" aria-pressed="${p[flag] ? 'true' : 'false'}">`
      + `${esc(label)} ${p[flag] ? 'off' : 'on'}</button> `);
    const flags = toggle('allowVirtualNetworkAccess', 'Access') + toggle('allowForwardedTraffic', 'Forwarded')
      + toggle('autoSync', 'Auto-sync');
    return `<tr data-id="${esc(p.id)}" data-name="${esc(p.name)}" data-state="${esc(p.state)}">`
      + `<td>${esc(p.name)}</td><td>${name(p.network)}</td><td>${name(p.peerNetwork)}</td>`
      + `<td>${badge(p.state)}${p.stateDetail ? `<span class="detail muted">${esc(p.stateDetail)}</span>` : ''}</td>`
      + `<td class="sync">${active ? badge(p.syncState) : ''}</td>`
      + `<td>${p.allowVirtualNetworkAccess ? 'yes' : 'no'}</td><td>${p.allowForwardedTraffic ? 'yes' : 'no'}</td>`
      + `<td>${p.autoSync ? 'yes' : 'no'}</td>`
      + `<td class="wrap">${esc((p.networkCidrs || []).join(', '))} · ${esc((p.peerCidrs || []).join(', '))}`
      + `${p.peerTenant ? ` <span class="muted">(${esc(p.tenant)} · ${esc(p.peerTenant)})</span>` : ''}</td>`
      + `<td>${esc(when(p.updatedAt))}</td>`
      + `<td class="mono">${esc(p.id)}</td><td class="actions">${decide}${sync}${flags}`
      // A deleted peering stays listed for its retention; there is nothing left to delete.
      + `${p.state === 'DELETED' ? '' : deleteButton(p.id, p.name)}</td></tr>`;
  });
}

export default {
  title: 'Peerings',
  async render(section) {
    const [peerings, networks] = await getAll(['/peerings', '/networks']);
    const networkList = networks.value || [];
    const networkNames = namesById(networkList);
    const choices = [{ value: '', label: '(choose)' }, ...networkList.map((n) => ({ value: n.id, label: n.name }))];
    section.innerHTML = `<div class="page-head"><h1>Peerings</h1></div>
      <div class="panel"><h2>Request a peering</h2>
        ${form(field({ label: 'Name', name: 'name', placeholder: 'a-b' })
          + select({ label: 'Network', name: 'network', options: choices })
          + field({
            label: 'Peer network (name or id)', name: 'peerNetwork', placeholder: 'another tenant’s: its id',
            attrs: 'list="peer-networks"',
          })
          + `<datalist id="peer-networks">${networkList.map((n) => `<option value="${esc(n.name)}">`).join('')}`
          + '</datalist>'
          + checkbox({ label: 'Allow forwarded traffic', name: 'allowForwardedTraffic' })
          + checkbox({ label: 'Accept at once (both sides mine)', name: 'autoAccept' }),
        'Request peering', { id: 'peering-form' })}
      </div>
      <div id="peering-list">${actionError()}<div class="list"></div></div>`;
    const list = section.querySelector('#peering-list .list');

    function show(items) {
      list.innerHTML = table(['Name', 'Network', 'Peer network', 'State', 'Sync', 'Access', 'Forwarded', 'Auto-sync',
        'Address spaces (as of the last sync)', 'Updated', 'Id', ''],
        rows(items, networkNames), { empty: 'No peering yet.', id: 'peerings-table' }) + moreNote(items);
    }

    async function reload() {
      show(await get('/peerings'));
    }

    if (peerings.error) {
      list.innerHTML = errorBanner(peerings.error);
    } else {
      show(peerings.value);
    }
    bindForm(section.querySelector('#peering-form'), async (values, formElement) => {
      const body = { name: values.name, network: values.network, peerNetwork: values.peerNetwork };
      if (values.allowForwardedTraffic) {
        body.allowForwardedTraffic = true;
      }
      if (values.autoAccept) {
        body.autoAccept = true;
      }
      await post('/peerings', body);
      formElement.reset();
      await reload();
    });
    const flip = (flag) => async (id, button) => {
      await patch(`/peerings/${seg(id)}`, { [flag]: button.getAttribute('aria-pressed') !== 'true' });
      await reload();
    };
    onActions(section.querySelector('#peering-list'), {
      async sync(id) {
        await post(`/peerings/${seg(id)}/sync`);
        await reload();
      },
      'toggle-allowVirtualNetworkAccess': flip('allowVirtualNetworkAccess'),
      'toggle-allowForwardedTraffic': flip('allowForwardedTraffic'),
      'toggle-autoSync': flip('autoSync'),
      async accept(id) {
        await post(`/peerings/${seg(id)}/accept`);
        await reload();
      },
      async reject(id, button) {
        if (confirmed(button)) {
          await post(`/peerings/${seg(id)}/reject`);
          await reload();
        }
      },
      async delete(id, button) {
        if (confirmed(button)) {
          await del(`/peerings/${seg(id)}`);
          await reload();
        }
      },
    });
  },
};
