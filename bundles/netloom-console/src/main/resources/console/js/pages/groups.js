// Security groups: the list, creating and deleting one. A group's rules and lint are on its own page.

import { del, get, getAll, post, seg } from '../api.js';
import {
  actionError, bindForm, confirmed, deleteButton, errorBanner, esc, field, form, moreNote, namesById, onActions,
  table,
} from '../ui.js';

function rows(groups, networkNames) {
  return groups.map((g) => `<tr data-id="${esc(g.id)}" data-name="${esc(g.name)}">`
    + `<td><a href="#/security-groups/${esc(encodeURIComponent(g.id))}">${esc(g.name)}</a></td>`
    + `<td class="wrap">${esc(g.description)}</td>`
    + `<td>${g.network ? `default of ${esc(networkNames.get(g.network) || g.network)}` : ''}</td>`
    + `<td>${g.rules.length}</td><td>${esc(g.tenant)}</td><td class="mono">${esc(g.id)}</td>`
    + `<td class="actions">${g.network ? '' : deleteButton(g.id, g.name)}</td></tr>`);
}

export default {
  title: 'Security groups',
  async render(section) {
    const [groups, networks] = await getAll(['/security-groups', '/networks']);
    const networkNames = namesById(networks.value);
    section.innerHTML = `<div class="page-head"><h1>Security groups</h1></div>
      <div class="panel"><h2>Create a security group</h2>
        ${form(field({ label: 'Name', name: 'name', placeholder: 'web' })
          + field({ label: 'Description (optional)', name: 'description' }), 'Create group', { id: 'group-form' })}
      </div>
      <div id="group-list">${actionError()}<div class="list"></div></div>`;
    const list = section.querySelector('#group-list .list');

    function show(items) {
      list.innerHTML = table(['Name', 'Description', 'Role', 'Rules', 'Tenant', 'Id', ''], rows(items, networkNames),
        { empty: 'No security group yet.', id: 'groups-table' }) + moreNote(items);
    }

    async function reload() {
      show(await get('/security-groups'));
    }

    if (groups.error) {
      list.innerHTML = errorBanner(groups.error);
    } else {
      show(groups.value);
    }
    bindForm(section.querySelector('#group-form'), async (values, formElement) => {
      const body = { name: values.name };
      if (values.description) {
        body.description = values.description;
      }
      await post('/security-groups', body);
      formElement.reset();
      await reload();
    });
    onActions(section.querySelector('#group-list'), {
      async delete(id, button) {
        if (confirmed(button)) {
          await del(`/security-groups/${seg(id)}`);
          await reload();
        }
      },
    });
  },
};
