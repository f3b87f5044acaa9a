// Explain: what the network does with traffic from one port to another, hop by hop.

import { get, getAll } from '../api.js';
import { badge, bindForm, errorBanner, esc, field, form, select, table } from '../ui.js';

function hopRows(hops) {
  return hops.map((h, i) => `<tr data-layer="${esc(h.layer)}"><td>${i + 1}</td><td>${esc(h.layer)}</td>`
    + `<td class="mono">${esc(h.element)}</td><td>${badge(h.decision)}</td>`
    + `<td class="wrap">${esc(h.detail)}</td></tr>`);
}

export default {
  title: 'Explain',
  async render(section) {
    const [ports, networks] = await getAll(['/ports', '/networks']);
    if (ports.error) {
      section.innerHTML = `<h1>Explain</h1>${errorBanner(ports.error)}`;
      return;
    }
    const networkNames = new Map((networks.value || []).map((n) => [n.id, n.name]));
    const choices = [{ value: '', label: '(choose a port)' }, ...ports.value.map((p) => ({
      value: p.id, label: `${p.name} · ${p.ip || 'no address'} · ${networkNames.get(p.network) || p.network}`,
    }))];
    section.innerHTML = `<div class="page-head"><h1>Explain</h1></div>
      <p class="muted">Follows traffic through the source's egress rules, routing, peering and the destination's
        ingress rules, and names the element that decides.</p>
      <div class="panel">${form(select({ label: 'From port', name: 'from', options: choices })
        + select({ label: 'To port', name: 'to', options: choices })
        + select({
          label: 'Protocol', name: 'protocol', cls: 'narrow',
          options: ['tcp', 'udp', 'icmp'].map((p) => ({ value: p, label: p })),
        })
        + field({ label: 'Port', name: 'port', placeholder: '80', cls: 'narrow', attrs: 'inputmode="numeric"' }),
      'Explain', { id: 'explain-form' })}</div>
      <div id="explain-result" aria-live="polite"></div>`;
    const result = section.querySelector('#explain-result');
    const explainForm = section.querySelector('#explain-form');
    const portInput = explainForm.elements.port;
    explainForm.elements.protocol.addEventListener('change', () => {
      // ICMP has no port: the API would refuse one.
      portInput.disabled = explainForm.elements.protocol.value === 'icmp';
    });

    bindForm(explainForm, async (values) => {
      result.innerHTML = '';
      const query = new URLSearchParams({ from: values.from, to: values.to, protocol: values.protocol });
      if (values.protocol !== 'icmp' && values.port !== '') {
        query.set('port', values.port);
      }
      const answer = await get(`/explain?${query}`);
      result.innerHTML = `<h2>Verdict ${badge(answer.verdict, 'verdict')}</h2>`
        + table(['#', 'Layer', 'Element', 'Decision', 'Detail'], hopRows(answer.hops), { id: 'hops-table' });
      result.dataset.verdict = answer.verdict;
    });
  },
};
