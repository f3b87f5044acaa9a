// One network: its address space and status, its subnets and its ports.

import { del, get, getAll, patch, post, seg } from '../api.js';
import {
  actionError, badge, bindForm, confirmed, deleteButton, errorBanner, esc, field, form, namesById, onActions,
  select, table, when,
} from '../ui.js';
import { fillSubnets, portBody, portFields, portTable } from './port-parts.js';

function subnetRows(subnets) {
  return subnets.map((s) => `<tr data-id="${esc(s.id)}" data-name="${esc(s.name)}"><td>${esc(s.name)}</td>`
    + `<td>${esc(s.cidr)}</td><td>${esc(s.gateway || 'none')}</td><td class="mono">${esc(s.id)}</td>`
    + `<td>${esc(when(s.createdAt))}</td><td class="actions">${deleteButton(s.id, s.name)}</td></tr>`);
}

export default {
  title: 'Network',
  async render(section, [id], app) {
    const network = await get(`/networks/${seg(id)}`);
    const [subnets, ports, groups] = await getAll(
      [`/networks/${seg(id)}/subnets`, `/ports?network=${seg(network.id)}`, '/security-groups']);
    document.title = `${network.name} · Netloom`;
    section.innerHTML = `<div class="page-head"><h1>Network ${esc(network.name)}</h1>
        <a href="#/networks">All networks</a></div>
      <div class="panel">
        <p>${badge(network.status)} ${esc(network.statusDetail)}</p>
        <p>Address space <strong>${esc(network.cidrs.join(', '))}</strong> · driver ${esc(network.driver)}
          · tenant ${esc(network.tenant)} · <span class="mono">${esc(network.id)}</span>
          · created ${esc(when(network.createdAt))}</p>
        <p class="muted" id="network-description">${esc(network.description || '')}</p>
        ${form(field({ label: 'Name', name: 'name', value: network.name })
          + field({ label: 'Description', name: 'description', value: network.description || '' })
          + field({
            label: 'Address space (comma-separated)', name: 'cidrs', value: network.cidrs.join(', '),
            placeholder: '10.1.0.0/16, 10.2.0.0/16',
          }), 'Change network', { id: 'network-form' })}
      </div>
      <h2>Subnets</h2>
      <div class="panel">${form(field({ label: 'Name', name: 'name', placeholder: 'web' })
        + field({ label: 'CIDR', name: 'cidr', placeholder: '10.1.1.0/24' })
        + field({ label: 'Gateway (optional)', name: 'gateway', placeholder: 'first address', cls: 'narrow' }),
      'Create subnet', { id: 'subnet-form' })}
        <div id="subnet-rename-slot"></div></div>
      <div id="subnet-list">${actionError()}<div class="list"></div></div>
      <h2>Ports</h2>
      <div class="panel"><div id="port-form-slot"></div></div>
      <div id="port-list">${actionError()}<div class="list"></div></div>`;

    const subnetList = section.querySelector('#subnet-list .list');
    const portList = section.querySelector('#port-list .list');
    const groupList = groups.value || [];
    let subnetItems = subnets.value || [];

    // Renaming is the only change a subnet takes: its prefix and gateway hold its ports' addresses.
    function showRename() {
      section.querySelector('#subnet-rename-slot').innerHTML = subnetItems.length === 0 ? ''
        : form(select({
          label: 'Subnet', name: 'subnet', cls: 'narrow',
          options: subnetItems.map((s) => ({ value: s.id, label: s.name })),
        }) + field({ label: 'New name', name: 'name', placeholder: 'front' }), 'Rename subnet',
        { id: 'subnet-rename-form' });
      const renameForm = section.querySelector('#subnet-rename-form');
      if (renameForm) {
        bindForm(renameForm, async (values) => {
          await patch(`/subnets/${seg(values.subnet)}`, { name: values.name });
          await reloadSubnets();
        });
      }
    }

    function showSubnets() {
      subnetList.innerHTML = subnets.error && subnetItems.length === 0 ? errorBanner(subnets.error)
        : table(['Name', 'CIDR', 'Gateway', 'Id', 'Created', ''], subnetRows(subnetItems),
          { empty: 'No subnet yet: a port needs one.', id: 'subnets-table' });
    }

    function showPorts(items) {
      portList.innerHTML = portTable(items, {
        subnetNames: namesById(subnetItems), groupNames: namesById(groupList),
      }, { empty: 'No port in this network yet.', id: 'network-ports-table' });
    }

    section.querySelector('#port-form-slot').innerHTML = form(
      portFields({ subnets: subnetItems, groups: groupList }), 'Create port', { id: 'port-form' });
    const portForm = section.querySelector('#port-form');

    async function reloadSubnets() {
      subnetItems = await get(`/networks/${seg(network.id)}/subnets`);
      showSubnets();
      showRename();
      fillSubnets(portForm.elements.subnet, subnetItems);
    }

    async function reloadPorts() {
      showPorts(await get(`/ports?network=${seg(network.id)}`));
    }

    showSubnets();
    showRename();
    if (ports.error) {
      portList.innerHTML = errorBanner(ports.error);
    } else {
      showPorts(ports.value);
    }

    // One PATCH with the fields changed; peerings of this network show they are not in sync until synced.
    bindForm(section.querySelector('#network-form'), async (values) => {
      const body = {};
      if (values.name !== network.name) {
        body.name = values.name;
      }
      if (values.description !== (network.description || '')) {
        body.description = values.description;
      }
      const cidrs = values.cidrs.split(',').map((c) => c.trim()).filter((c) => c !== '');
      if (cidrs.join(',') !== network.cidrs.join(',')) {
        body.cidrs = cidrs;
      }
      await patch(`/networks/${seg(network.id)}`, body);
      app.navigate(window.location.hash);
    });
    bindForm(section.querySelector('#subnet-form'), async (values, formElement) => {
      const body = { name: values.name, cidr: values.cidr };
      if (values.gateway) {
        body.gateway = values.gateway;
      }
      await post(`/networks/${seg(network.id)}/subnets`, body);
      formElement.reset();
      await reloadSubnets();
    });
    bindForm(portForm, async (values, formElement) => {
      await post('/ports', portBody(values, network.id));
      formElement.elements.name.value = '';
      await reloadPorts();
    });
    onActions(section.querySelector('#subnet-list'), {
      async delete(subnetId, button) {
        if (confirmed(button)) {
          await del(`/subnets/${seg(subnetId)}`);
          await reloadSubnets();
        }
      },
    });
    onActions(section.querySelector('#port-list'), {
      async delete(portId, button) {
        if (confirmed(button)) {
          await del(`/ports/${seg(portId)}`);
          await reloadPorts();
        }
      },
    });
  },
};
