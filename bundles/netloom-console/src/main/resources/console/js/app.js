// The console's frame: hash routes, the navigation, and logging in and out.

import { loggedIn, logout, userName } from './api.js';
import { errorBanner, handleSessionEnd, onSessionEnd } from './ui.js';
import loginPage from './pages/login.js';
import overviewPage from './pages/overview.js';
import networksPage from './pages/networks.js';
import networkPage from './pages/network.js';
import portsPage from './pages/ports.js';
import peeringsPage from './pages/peerings.js';
import groupsPage from './pages/groups.js';
import groupPage from './pages/group.js';
import topologyPage from './pages/topology.js';
import explainPage from './pages/explain.js';
import driversPage from './pages/drivers.js';
import nodesPage from './pages/nodes.js';

// A page is {title, render(section, params, app)}; render may answer a function that stops what it started.
const ROUTES = [
  { path: /^\/login$/, page: loginPage, nav: null },
  { path: /^\/overview$/, page: overviewPage, nav: 'overview' },
  { path: /^\/networks$/, page: networksPage, nav: 'networks' },
  { path: /^\/networks\/([^/]+)$/, page: networkPage, nav: 'networks' },
  { path: /^\/ports$/, page: portsPage, nav: 'ports' },
  { path: /^\/peerings$/, page: peeringsPage, nav: 'peerings' },
  { path: /^\/security-groups$/, page: groupsPage, nav: 'security-groups' },
  { path: /^\/security-groups\/([^/]+)$/, page: groupPage, nav: 'security-groups' },
  { path: /^\/topology$/, page: topologyPage, nav: 'topology' },
  { path: /^\/explain$/, page: explainPage, nav: 'explain' },
  { path: /^\/drivers$/, page: driversPage, nav: 'drivers' },
  { path: /^\/nodes$/, page: nodesPage, nav: 'nodes' },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const navToggle = document.getElementById('nav-toggle');

let stopPage = null;
let afterLogin = '#/overview';
let loginNotice = '';

const app = {
  /** Login notice for the login page to show once (session ended, logged out). */
  takeLoginNotice() {
    const notice = loginNotice;
    loginNotice = '';
    return notice;
  },
  loggedIn() {
    const target = afterLogin;
    afterLogin = '#/overview';
    go(target);
  },
  navigate: go,
};

function go(hash) {
  if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

function setNavOpen(open) {
  nav.classList.toggle('open', open);
  navToggle.setAttribute('aria-expanded', String(open));
}

function frame(current) {
  const authenticated = loggedIn();
  document.body.classList.toggle('logged-out', !authenticated);
  document.getElementById('user').textContent = authenticated ? userName() : '';
  nav.querySelectorAll('a').forEach((a) => {
    const here = a.dataset.route === current;
    a.classList.toggle('current', here);
    if (here) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  });
}

async function render() {
  if (stopPage) {
    stopPage();
    stopPage = null;
  }
  setNavOpen(false);
  const path = location.hash.replace(/^#/, '') || '/overview';
  if (!loggedIn() && path !== '/login') {
    afterLogin = `#${path}`;
    location.replace('#/login');
    return;
  }
  if (loggedIn() && path === '/login') {
    location.replace('#/overview');
    return;
  }
  const route = ROUTES.find((r) => r.path.test(path));
  frame(route ? route.nav : null);
  // Each visit renders into a fresh section: a slow answer for a page already left lands in a detached element.
  const section = document.createElement('section');
  section.className = 'page';
  main.replaceChildren(section);
  if (!route) {
    document.title = 'Not found · Netloom';
    section.innerHTML = `<h1>Not found</h1>${errorBanner(`Nothing at ${path}`)}`;
    return;
  }
  const params = route.path.exec(path).slice(1).map(decodeURIComponent);
  section.dataset.page = path.split('/')[1];
  document.title = `${route.page.title} · Netloom`;
  try {
    const stop = await route.page.render(section, params, app);
    if (typeof stop === 'function') {
      if (section.isConnected) {
        stopPage = stop;
      } else {
        stop();
      }
    }
  } catch (error) {
    if (!handleSessionEnd(error)) {
      section.insertAdjacentHTML('beforeend', errorBanner(error));
    }
  } finally {
    section.dataset.state = 'ready';
  }
}

onSessionEnd(() => {
  // A 401 while logging in is a wrong password, shown by the login form itself.
  if (!loggedIn()) {
    return false;
  }
  logout();
  loginNotice = 'Your session has ended: log in again.';
  afterLogin = location.hash || '#/overview';
  location.hash = '#/login';
  return true;
});

navToggle.addEventListener('click', () => setNavOpen(!nav.classList.contains('open')));
document.getElementById('logout').addEventListener('click', () => {
  logout();
  loginNotice = 'You have logged out.';
  afterLogin = '#/overview';
  go('#/login');
});
window.addEventListener('hashchange', render);
render();
