// Small helpers shared by the pages: escaping, badges, tables, forms and the API's errors next to their fields.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML: every value from the API goes through this before it meets innerHTML. */
export function esc(value) {
  return value === null || value === undefined ? '' : String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// One palette for badges and the topology drawing; the CSS variables of the same names hold the same colours.
export const COLOURS = { ok: '#2e7d32', warn: '#f0a000', bad: '#c62828', off: '#9e9e9e' };

const TONES = {
  ACTIVE: 'ok',
  PENDING: 'warn',
  PENDING_ACCEPTANCE: 'warn',
  STANDBY: 'warn',
  DEGRADED: 'warn',
  DRIVER_MISSING: 'bad',
  NODE_DOWN: 'bad',
  UP: 'ok',
  DRAINING: 'warn',
  ERROR: 'bad',
  FAILED: 'bad',
  QUARANTINED: 'bad',
  DOWN: 'bad',
  ALLOW: 'ok',
  PASS: 'ok',
  DENY: 'bad',
  NO_ROUTE: 'bad',
  IN_SYNC: 'ok',
  LOCAL_NOT_IN_SYNC: 'warn',
  REMOTE_NOT_IN_SYNC: 'warn',
  LOCAL_AND_REMOTE_NOT_IN_SYNC: 'warn',
};

/** 'ok', 'warn', 'bad' or 'off' for a status, state or verdict. */
export function tone(status) {
  return TONES[status] || 'off';
}

export function colour(status) {
  return COLOURS[tone(status)];
}

export function badge(status, extraClass = '') {
  return `<span class="badge ${tone(status)} ${extraClass}" data-status="${esc(status)}">${esc(status)}</span>`;
}

/** A short local date and time for an ISO instant. */
export function when(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/**
 * A table as one string, so a page builds its DOM with a single innerHTML assignment however many rows it has.
 * rows are '<tr>…</tr>' strings whose values the caller has escaped.
 */
export function table(headings, rows, { empty = 'Nothing yet.', id = '', cls = '' } = {}) {
  if (rows.length === 0) {
    return `<div class="table-wrap"${id ? ` id="${id}"` : ''}><p class="empty">${esc(empty)}</p></div>`;
  }
  const head = headings.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  return `<div class="table-wrap"${id ? ` id="${id}"` : ''}><table class="${cls}"><thead><tr>${head}</tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * A table for lists that may hold thousands of rows (ports). Rows are blocks with fixed column widths (the CSS
 * class cols names them) and content-visibility: auto, so the browser lays out only the rows on screen; a <table>
 * measures every cell of every row first, which takes seconds for a few thousand rows on a slow machine.
 * rows are gridRow() strings.
 */
export function gridTable(headings, rows, { cols, id = '', empty = 'Nothing yet.', label = '' }) {
  if (rows.length === 0) {
    return `<div class="table-wrap"${id ? ` id="${id}"` : ''}><p class="empty">${esc(empty)}</p></div>`;
  }
  const head = headings.map((h) => `<div role="columnheader">${esc(h)}</div>`).join('');
  return `<div class="table-wrap"${id ? ` id="${id}"` : ''}><div class="grid-table ${cols}" role="table"`
    + ` aria-label="${esc(label)}" aria-rowcount="${rows.length + 1}">`
    + `<div class="grid-head" role="rowgroup"><div class="grid-row" role="row">${head}</div></div>`
    + `<div class="grid-body" role="rowgroup">${rows.join('')}</div></div></div>`;
}

/** One row of a gridTable: attributes (already escaped) and cells as HTML. */
export function gridRow(attributes, cells) {
  return `<div class="grid-row" role="row" ${attributes}><div role="cell">${cells.join('</div><div role="cell">')}`
    + '</div></div>';
}

export function deleteButton(id, what, action = 'delete') {
  return `<button type="button" class="small danger" data-action="${action}" data-id="${esc(id)}"`
    + ` aria-label="Delete ${esc(what)}">Delete</button>`;
}

// ---- forms ----

export function field({
  label, name, type = 'text', placeholder = '', value = '', cls = '', autocomplete = 'off', attrs = '',
}) {
  return `<label class="field ${cls}"><span>${esc(label)}</span>`
    + `<input type="${type}" name="${esc(name)}" placeholder="${esc(placeholder)}" value="${esc(value)}"`
    + ` autocomplete="${autocomplete}" ${attrs}></label>`;
}

/** options: [{value, label}]; value: the selected value (or values when multiple). */
export function select({ label, name, options, value = '', multiple = false, cls = '', attrs = '' }) {
  const chosen = new Set([].concat(value));
  const opts = options.map((o) => `<option value="${esc(o.value)}"${chosen.has(o.value) ? ' selected' : ''}>`
    + `${esc(o.label)}</option>`).join('');
  return `<label class="field ${cls}"><span>${esc(label)}</span>`
    + `<select name="${esc(name)}"${multiple ? ' multiple' : ''} ${attrs}>${opts}</select></label>`;
}

export function checkbox({ label, name }) {
  return `<label class="field check"><input type="checkbox" name="${esc(name)}"> <span>${esc(label)}</span></label>`;
}

/**
 * A form whose fields the API validates: no browser validation, so the API's own message is what the user
 * reads. Errors without a field appear in the .form-error at its top.
 */
export function form(inner, submitLabel, { id = '', cls = 'inline' } = {}) {
  return `<form class="${cls}" novalidate${id ? ` id="${id}"` : ''}>`
    + '<div class="form-error form-top" role="alert" hidden></div>'
    + `${inner}<div class="form-actions"><button type="submit">${esc(submitLabel)}</button></div></form>`;
}

/** The form's values by field name: strings trimmed, checkboxes as booleans, multiple selects as arrays. */
export function formValues(formElement) {
  const values = {};
  for (const el of formElement.elements) {
    if (!el.name) {
      continue;
    }
    if (el.type === 'checkbox') {
      values[el.name] = el.checked;
    } else if (el.tagName === 'SELECT' && el.multiple) {
      values[el.name] = Array.from(el.selectedOptions, (o) => o.value);
    } else {
      values[el.name] = el.value.trim();
    }
  }
  return values;
}

/** Copies the non-empty entries of values named in keys, for optional fields of a request body. */
export function pick(values, keys) {
  const body = {};
  for (const key of keys) {
    const v = values[key];
    if (v !== '' && v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
      body[key] = v;
    }
  }
  return body;
}

export function clearErrors(formElement) {
  formElement.querySelectorAll('.field-error').forEach((e) => e.remove());
  formElement.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  const top = formElement.querySelector('.form-error');
  top.textContent = '';
  top.hidden = true;
}

// The API names fields as in its JSON body ("cidrs[0]", "binding.target"); inputs are named by the whole
// path where the form has one, else by the list or object that holds it ("cidrs").
function inputFor(formElement, fieldPath) {
  const candidates = [fieldPath, fieldPath.replace(/\[\d+\]/g, ''), fieldPath.split(/[.[]/)[0]];
  for (const name of candidates) {
    const el = formElement.elements.namedItem(name);
    if (el) {
      return el instanceof RadioNodeList ? el[0] : el;
    }
  }
  return null;
}

/** Shows an error under the field the API named, or at the top of the form. */
export function showError(formElement, error) {
  const message = error && error.message ? error.message : String(error);
  const input = error && error.field ? inputFor(formElement, error.field) : null;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    const note = document.createElement('div');
    note.className = 'field-error';
    note.setAttribute('role', 'alert');
    note.dataset.field = input.name;
    note.dataset.apiField = error.field;
    note.dataset.code = error.code || '';
    note.textContent = message;
    (input.closest('.field') || input.parentElement).appendChild(note);
    input.focus();
    return;
  }
  const top = formElement.querySelector('.form-error');
  top.textContent = message;
  top.dataset.code = (error && error.code) || '';
  top.hidden = false;
}

/**
 * Submits through the handler with the form's values; the API's errors are shown where they belong, and the
 * submit button is disabled meanwhile so that a double click does not create twice.
 */
export function bindForm(formElement, handler) {
  formElement.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(formElement);
    const button = formElement.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await handler(formValues(formElement), formElement);
    } catch (error) {
      if (!handleSessionEnd(error)) {
        showError(formElement, error);
      }
    } finally {
      button.disabled = false;
    }
  });
}

// ---- actions on rows ----

let sessionEndHandler = () => false;

/** The app tells here what to do when the API answers 401 in the middle of a session. */
export function onSessionEnd(handler) {
  sessionEndHandler = handler;
}

export function handleSessionEnd(error) {
  return Boolean(error && error.status === 401 && sessionEndHandler(error));
}

/**
 * Destructive buttons ask twice: the first click arms the button for a few seconds, the second one acts.
 * Answers whether this click is the second.
 */
export function confirmed(button) {
  if (button.classList.contains('armed')) {
    return true;
  }
  button.classList.add('armed');
  const text = button.textContent;
  button.textContent = 'Confirm';
  setTimeout(() => {
    button.classList.remove('armed');
    button.textContent = text;
  }, 4000);
  return false;
}

/**
 * One click listener for all the row buttons of a container (data-action, data-id): a table of a thousand rows
 * needs no thousand listeners. An error goes to the container's .action-error.
 */
export function onActions(container, handlers) {
  container.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || !container.contains(button) || !handlers[button.dataset.action]) {
      return;
    }
    const box = container.querySelector('.action-error');
    if (box) {
      box.hidden = true;
    }
    button.disabled = true;
    try {
      await handlers[button.dataset.action](button.dataset.id, button);
    } catch (error) {
      if (handleSessionEnd(error)) {
        return;
      }
      if (box) {
        box.textContent = error.message;
        box.dataset.code = error.code || '';
        box.hidden = false;
      }
    } finally {
      button.disabled = false;
    }
  });
}

export function actionError() {
  return '<div class="action-error" role="alert" hidden></div>';
}

/** A page-wide error, for a page that could not load. */
export function errorBanner(error) {
  return `<p class="banner error" role="alert">${esc(error && error.message ? error.message : error)}</p>`;
}

/** A note under a list of which the API sent only the first page. */
export function moreNote(items) {
  return items && items.more ? `<p class="muted more-note">Showing the first ${items.length}; more exist. The API `
    + 'pages through all of them (limit and marker), as does the shell (--limit, --marker).</p>' : '';
}

/** Names of objects by id, to show names where the API gives ids. */
export function namesById(objects) {
  return new Map((objects || []).map((o) => [o.id, o.name]));
}
