// Ports of every network: the page that has to stay fast with thousands of rows, so it builds its table with
// one innerHTML assignment and measures that (data-render-ms on the page section, shown below the title).

import { del, get, getAll, post, seg } from '../api.js';
import {
  actionError, bindForm, confirmed, errorBanner, esc, form, moreNote, namesById, onActions, select,
} from '../ui.js';
import { fillSubnets, portBody, portFields, portTable } from './port-parts.js';

export default {
  title: 'Ports',
  async render(section) {
    const started = performance.now();
    const [ports, networks, groups] = await getAll(['/ports', '/networks', '/security-groups']);
    if (ports.error) {
      section.innerHTML = `<h1>Ports</h1>${errorBanner(ports.error)}`;
      return;
    }
    const networkList = networks.value || [];
    const names = {
      networkNames: namesById(networkList),
      groupNames: namesById(groups.value),
    };
    let all = ports.value;
    section.innerHTML = `<div class="page-head"><h1>Ports</h1><span class="muted" id="render-figure"></span></div>
      <div class="panel"><h2>Create a port</h2>
        ${form(portFields({ networks: networkList, groups: groups.value || [] }), 'Create port', { id: 'port-form' })}
      </div>
      <form class="inline" id="port-filter">
        ${select({
          label: 'Show ports of', name: 'network', cls: 'filter',
          options: [{ value: '', label: 'all networks' }, ...networkList.map((n) => ({ value: n.id, label: n.name }))],
        })}
      </form>
      <div id="port-list">${actionError()}<div class="list"></div></div>`;
    const list = section.querySelector('#port-list .list');
    const filter = section.querySelector('#port-filter').elements.network;

    function show() {
      const t0 = performance.now();
      const shown = filter.value ? all.filter((p) => p.network === filter.value) : all;
      list.innerHTML = portTable(shown, names, { empty: 'No port here yet.', id: 'ports-table', quarantine: true })
        + moreNote(all);
      // Reading a layout property makes the browser lay the table out now, so the figure includes layout.
      void list.offsetHeight;
      const ms = performance.now() - t0;
      section.dataset.renderMs = ms.toFixed(1);
      section.dataset.rows = String(shown.length);
      section.querySelector('#render-figure').textContent = `${shown.length} of ${all.length} port(s)`
        + ` · table built in ${ms.toFixed(0)} ms`;
    }

    async function reload() {
      all = await get('/ports');
      show();
    }

    show();
    section.dataset.loadMs = (performance.now() - started).toFixed(1);
    filter.addEventListener('change', show);

    const portForm = section.querySelector('#port-form');
    portForm.elements.network.addEventListener('change', async () => {
      const id = portForm.elements.network.value;
      fillSubnets(portForm.elements.subnet, id ? await get(`/networks/${seg(id)}/subnets`) : []);
    });
    bindForm(portForm, async (values, formElement) => {
      await post('/ports', portBody(values));
      formElement.elements.name.value = '';
      await reload();
    });
    onActions(section.querySelector('#port-list'), {
      async quarantine(id) {
        await post(`/ports/${seg(id)}/quarantine`);
        await reload();
      },
      async release(id) {
        await del(`/ports/${seg(id)}/quarantine`);
        await reload();
      },
      async delete(id, button) {
        if (confirmed(button)) {
          await del(`/ports/${seg(id)}`);
          await reload();
        }
      },
    });
    if (networkList.length === 0) {
      list.insertAdjacentHTML('beforebegin',
        `<p class="banner info">${esc('A port needs a network with a subnet: create those first.')}</p>`);
    }
  },
};
