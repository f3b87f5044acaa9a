// One security group: its rules (add, delete) and what lint finds wrong with them.

import { ApiError, del, get, patch, post, seg } from '../api.js';
import {
  actionError, bindForm, confirmed, deleteButton, errorBanner, esc, field, form, namesById, onActions, pick,
  select, table,
} from '../ui.js';

const KIND_TONES = { SHADOWED: 'warn', CONFLICT: 'bad', DEAD_BY_PEERING: 'warn' };

function ruleRows(rules, groupNames) {
  return rules.map((r) => {
    const remote = r.remoteGroup ? `group ${esc(groupNames.get(r.remoteGroup) || r.remoteGroup)}`
      : esc(r.remoteCidr || 'any');
    return `<tr data-id="${esc(r.id)}"><td>${esc(r.priority)}</td><td>${esc(r.direction)}</td>`
      + `<td>${esc(r.action)}</td><td>${esc(r.protocol)}</td><td>${esc(r.ports || 'all')}</td><td>${remote}</td>`
      + `<td class="mono">${esc(r.id)}</td><td class="actions">${deleteButton(r.id, r.id)}</td></tr>`;
  });
}

function lintRows(findings) {
  return findings.map((f) => `<tr data-kind="${esc(f.kind)}"><td><span class="badge ${KIND_TONES[f.kind] || 'off'}">`
    + `${esc(f.kind)}</span></td><td class="mono">${esc(f.ruleId)}</td>`
    + `<td class="mono">${esc(f.otherRuleId || '')}</td><td class="wrap">${esc(f.message)}</td></tr>`);
}

export default {
  title: 'Security group',
  async render(section, [id], app) {
    const [group, groups] = await Promise.all([get(`/security-groups/${seg(id)}`), get('/security-groups')]);
    const groupNames = namesById(groups);
    document.title = `${group.name} · Netloom`;
    section.innerHTML = `<div class="page-head"><h1>Security group ${esc(group.name)}</h1>
        <a href="#/security-groups">All groups</a></div>
      <p class="muted">${esc(group.description)} <span class="mono">${esc(group.id)}</span></p>
      <div class="panel">${form(field({ label: 'Name', name: 'name', value: group.name })
        + field({ label: 'Description', name: 'description', value: group.description }),
      'Change group', { id: 'group-form' })}</div>
      <div class="panel"><h2>Add a rule</h2>
        ${form(select({
          label: 'Direction', name: 'direction', cls: 'narrow',
          options: [{ value: 'ingress', label: 'ingress' }, { value: 'egress', label: 'egress' }],
        }) + select({
          label: 'Protocol', name: 'protocol', cls: 'narrow',
          options: ['tcp', 'udp', 'icmp', 'any'].map((p) => ({ value: p, label: p })),
        }) + field({ label: 'Ports', name: 'ports', placeholder: '80 or 8000-8080', cls: 'narrow' })
          + field({ label: 'Remote CIDR', name: 'remoteCidr', placeholder: '10.0.0.0/8' })
          + select({
            label: 'or remote group', name: 'remoteGroup',
            options: [{ value: '', label: '(none)' }, ...groups.map((g) => ({ value: g.id, label: g.name }))],
          })
          + select({
            label: 'Action', name: 'action', cls: 'narrow',
            options: [{ value: 'allow', label: 'allow' }, { value: 'deny', label: 'deny' }],
          })
          + field({
            label: 'Priority', name: 'priority', placeholder: '1000', cls: 'narrow', attrs: 'inputmode="numeric"',
          }),
        'Add rule', { id: 'rule-form' })}
      </div>
      <h2>Rules</h2><div id="rule-list">${actionError()}<div class="list"></div></div>
      <h2>Lint</h2><div id="lint"></div>`;
    const list = section.querySelector('#rule-list .list');
    const lint = section.querySelector('#lint');

    async function showLint() {
      try {
        const findings = await get(`/security-groups/${seg(group.id)}/lint`);
        lint.innerHTML = table(['Finding', 'Rule', 'Other rule', 'Message'], lintRows(findings),
          { empty: 'Lint finds nothing wrong.', id: 'lint-table' });
      } catch (error) {
        // Lint comes from the firewall bundle, which may be stopped: the rules are still worth showing.
        if (!(error instanceof ApiError) || error.status === 401) {
          throw error;
        }
        lint.innerHTML = errorBanner(error);
      }
    }

    function showRules(rules) {
      list.innerHTML = table(['Priority', 'Direction', 'Action', 'Protocol', 'Ports', 'Remote', 'Id', ''],
        ruleRows(rules, groupNames), { empty: 'No rule: ingress is denied, egress allowed.', id: 'rules-table' });
    }

    async function reload() {
      showRules((await get(`/security-groups/${seg(group.id)}`)).rules);
      await showLint();
    }

    showRules(group.rules);
    await showLint();

    bindForm(section.querySelector('#group-form'), async (values) => {
      await patch(`/security-groups/${seg(group.id)}`, { name: values.name, description: values.description });
      app.navigate(window.location.hash);
    });
    bindForm(section.querySelector('#rule-form'), async (values, formElement) => {
      const body = pick(values, ['direction', 'protocol', 'ports', 'remoteCidr', 'remoteGroup', 'action']);
      if (values.priority !== '') {
        // A number when it is one; otherwise the text goes as it is and the API names what is wrong with it.
        body.priority = /^-?\d+$/.test(values.priority) ? Number(values.priority) : values.priority;
      }
      await post(`/security-groups/${seg(group.id)}/rules`, body);
      formElement.elements.ports.value = '';
      formElement.elements.remoteCidr.value = '';
      await reload();
    });
    onActions(section.querySelector('#rule-list'), {
      async delete(ruleId, button) {
        if (confirmed(button)) {
          await del(`/security-groups/${seg(group.id)}/rules/${seg(ruleId)}`);
          await reload();
        }
      },
    });
  },
};
