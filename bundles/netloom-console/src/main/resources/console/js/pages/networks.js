// Networks: the list, creating one (name and address space) and deleting one.

import { del, get, getAll, post, seg } from '../api.js';
import {
  actionError, badge, bindForm, confirmed, deleteButton, errorBanner, esc, field, form, moreNote, onActions, select,
  table, when,
} from '../ui.js';

function rows(networks) {
  return networks.map((n) => `<tr data-id="${esc(n.id)}" data-name="${esc(n.name)}">`
    + `<td><a href="#/networks/${esc(encodeURIComponent(n.id))}">${esc(n.name)}</a></td>`
    + `<td>${esc(n.cidrs.join(', '))}</td><td>${esc(n.driver)}</td><td>${badge(n.status)}</td>`
    + `<td>${esc(n.tenant)}</td><td class="mono">${esc(n.id)}</td><td>${esc(when(n.createdAt))}</td>`
    + `<td class="actions">${deleteButton(n.id, n.name)}</td></tr>`);
}

export default {
  title: 'Networks',
  async render(section) {
    const [networks, drivers] = await getAll(['/networks', '/drivers']);
    const types = [...new Set((drivers.value || []).map((d) => d.type))];
    section.innerHTML = `<div class="page-head"><h1>Networks</h1>
        <span class="muted" id="network-count"></span></div>
      <div class="panel"><h2>Create a network</h2>
        ${form(field({ label: 'Name', name: 'name', placeholder: 'net-a' })
          + field({ label: 'CIDRs (comma-separated)', name: 'cidrs', placeholder: '10.1.0.0/16, 10.3.0.0/16' })
          + select({
            label: 'Driver', name: 'driver', cls: 'narrow',
            options: [{ value: '', label: '(default)' }, ...types.map((t) => ({ value: t, label: t }))],
          }), 'Create network', { id: 'network-form' })}
      </div>
      <div id="network-list">${actionError()}<div class="list"></div></div>`;
    const list = section.querySelector('#network-list .list');

    function show(items) {
      list.innerHTML = table(['Name', 'CIDRs', 'Driver', 'Status', 'Tenant', 'Id', 'Created', ''], rows(items),
        { empty: 'No network yet: create one above.', id: 'networks-table' }) + moreNote(items);
      section.querySelector('#network-count').textContent = `${items.length} network(s)`;
    }

    async function reload() {
      show(await get('/networks'));
    }

    if (networks.error) {
      list.innerHTML = errorBanner(networks.error);
    } else {
      show(networks.value);
    }
    bindForm(section.querySelector('#network-form'), async (values, formElement) => {
      const body = { name: values.name, cidrs: values.cidrs.split(/[\s,]+/).filter((c) => c !== '') };
      if (values.driver) {
        body.driver = values.driver;
      }
      await post('/networks', body);
      formElement.reset();
      await reload();
    });
    onActions(section.querySelector('#network-list'), {
      async delete(id, button) {
        if (confirmed(button)) {
          await del(`/networks/${seg(id)}`);
          await reload();
        }
      },
    });
  },
};
