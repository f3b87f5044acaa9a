// The console's own login page: credentials go to the API as HTTP Basic, never through a browser dialog.

import { login } from '../api.js';
import { bindForm, esc, field, form } from '../ui.js';

export default {
  title: 'Log in',
  render(section, params, app) {
    const notice = app.takeLoginNotice();
    section.innerHTML = `<div class="login panel">
      <h1>Log in to Netloom</h1>
      ${notice ? `<p class="banner info" id="login-notice">${esc(notice)}</p>` : ''}
      <p class="muted">Your Karaf user: a <code>netloom-admin</code> may change everything,
        a <code>netloom-viewer</code> may look.</p>
      ${form(field({ label: 'User', name: 'user', autocomplete: 'username', attrs: 'autofocus' })
        + field({ label: 'Password', name: 'password', type: 'password', autocomplete: 'current-password' }),
      'Log in', { id: 'login-form', cls: 'login-form' })}
    </div>`;
    const loginForm = section.querySelector('#login-form');
    bindForm(loginForm, async (values) => {
      await login(values.user, loginForm.elements.password.value);
      app.loggedIn();
    });
    loginForm.elements.user.focus();
  },
};
