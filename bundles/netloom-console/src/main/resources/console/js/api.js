// The REST API client: every call of the console goes through request() below.

const BASE = '/netloom/api/v1';
const AUTH_KEY = 'netloom.authorization';
const USER_KEY = 'netloom.user';

/** An error answered by the API ({code, message, field?}), or a failure to reach it (status 0). */
export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field || null;
  }
}

// Credentials live in sessionStorage: they end with the tab and are never written to disk by the app.
export function loggedIn() {
  return sessionStorage.getItem(AUTH_KEY) !== null;
}

export function userName() {
  return sessionStorage.getItem(USER_KEY) || '';
}

export function logout() {
  sessionStorage.removeItem(AUTH_KEY);
  sessionStorage.removeItem(USER_KEY);
}

function basic(user, password) {
  // btoa() takes Latin-1 only; HTTP Basic with charset UTF-8 wants the UTF-8 bytes.
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return `Basic ${btoa(binary)}`;
}

/**
 * Checks the credentials with a harmless read and keeps them for the session when the API accepts them.
 * Throws the API's error (401 wrong password, 403 no Netloom role) otherwise.
 */
export async function login(user, password) {
  const authorization = basic(user, password);
  await request('GET', '/drivers', undefined, authorization);
  sessionStorage.setItem(AUTH_KEY, authorization);
  sessionStorage.setItem(USER_KEY, user);
}

/**
 * Calls the API and answers the parsed JSON body (null for 204). Throws ApiError for any answer but 2xx.
 */
export async function request(method, path, body, authorization = sessionStorage.getItem(AUTH_KEY)) {
  const headers = {
    Accept: 'application/json',
    // Without it a 401 carries WWW-Authenticate and the browser would show its own password dialog.
    'X-Requested-With': 'XMLHttpRequest',
    // The audit log records such changes with via=console.
    'X-Netloom-Client': 'console',
  };
  if (authorization) {
    headers.Authorization = authorization;
  }
  const init = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'UNREACHABLE', 'Netloom does not answer: is it running?');
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    if (json && typeof json.message === 'string') {
      throw new ApiError(response.status, json.code || `HTTP_${response.status}`, json.message, json.field);
    }
    throw new ApiError(response.status, `HTTP_${response.status}`,
      `Netloom answered ${response.status} ${response.statusText}`.trim());
  }
  // Lists come one page at a time (at most 1000 items); the console shows the first page and says when more exist.
  if (Array.isArray(json) && /rel="next"/.test(response.headers.get('Link') || '')) {
    Object.defineProperty(json, 'more', { value: true });
  }
  return json;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const del = (path) => request('DELETE', path);
/** A JSON merge patch: only the fields given change. */
export const patch = (path, body) => request('PATCH', path, body);

/** Path segment of an id or name, escaped. */
export const seg = (id) => encodeURIComponent(id);

/**
 * Runs several reads at once and answers each result or its error, so one unavailable resource (a stopped
 * policy bundle answers 503) does not blank a whole page.
 */
export async function getAll(paths) {
  const settled = await Promise.allSettled(paths.map((p) => get(p)));
  return settled.map((s) => (s.status === 'fulfilled' ? { value: s.value } : { error: s.reason }));
}
