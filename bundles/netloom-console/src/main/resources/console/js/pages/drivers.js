// Drivers: the southbound data-plane drivers registered now, as /drivers tells.

import { get } from '../api.js';
import { badge, errorBanner, esc, handleSessionEnd, table } from '../ui.js';

function rows(drivers) {
  return drivers.map((d) => `<tr data-type="${esc(d.type)}"><td>${esc(d.type)}</td><td>${esc(d.name)}</td>`
    + `<td>${esc(d.version)}</td><td>${esc(d.bundle)} <span class="muted">#${esc(d.bundleId)}</span></td>`
    + `<td>${esc(d.ranking)}</td><td>${badge(d.status)}</td><td class="wrap">${esc(d.detail)}</td></tr>`);
}

export default {
  title: 'Drivers',
  async render(section) {
    section.innerHTML = `<div class="page-head"><h1>Drivers</h1>
        <button type="button" class="secondary" id="drivers-refresh">Refresh</button></div>
      <p class="muted">Drivers come and go with their bundles; of one type the highest ranking is ACTIVE and the
        others STANDBY.</p>
      <div class="list"></div>`;
    const list = section.querySelector('.list');
    async function show() {
      list.innerHTML = table(['Type', 'Name', 'Version', 'Bundle', 'Ranking', 'Status', 'Detail'],
        rows(await get('/drivers')), { empty: 'No driver is registered.', id: 'drivers-table' });
    }
    section.querySelector('#drivers-refresh').addEventListener('click', () => show().catch((error) => {
      if (!handleSessionEnd(error)) {
        list.innerHTML = errorBanner(error);
      }
    }));
    await show();
  },
};
