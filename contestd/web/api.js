// The one client of contestd's JSON API (docs/API.md) for every view: the
// session (token in localStorage), requests with a time limit, errors as
// ApiError (the server answered) or NetworkError (it could not be reached),
// and whether the server is reachable, for the indicator in the header.

const BASE = '/api/v1';
const SESSION_KEY = 'contest.session';

export class ApiError extends Error {
  constructor(status, code, message, body, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

export class NetworkError extends Error {}

function readJson(key) {
  try {
    return JSON.parse(localStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

let session = readJson(SESSION_KEY);
let online = null;
const connectionListeners = new Set();
const authListeners = new Set();

// {token, role, judge or organizer, expires_at} or null.
export function getSession() {
  return session;
}

export function setSession(s) {
  session = s;
  localStorage.setItem(SESSION_KEY, JSON.stringify(s));
}

export function clearSession() {
  session = null;
  localStorage.removeItem(SESSION_KEY);
}

export function isOnline() {
  return online;
}

// fn(true|false) whenever the server becomes reachable or unreachable.
// Returns a function that removes fn.
export function onConnection(fn) {
  connectionListeners.add(fn);
  return () => connectionListeners.delete(fn);
}

// fn(error) when the server refuses the token (expired or unknown).
export function onUnauthorized(fn) {
  authListeners.add(fn);
}

function setOnline(value) {
  if (online === value) return;
  online = value;
  for (const fn of connectionListeners) fn(value);
}

// One exchange with the server: the fetch with a time limit, the answer's
// JSON (null when it has none). Rejects with NetworkError when the server
// cannot be reached; any HTTP answer resolves, {res, data}.
async function exchange(method, path, { body, headers = {}, timeoutMs = 10000, auth = true } = {}) {
  const url = path.startsWith('//') ? path.slice(1) : BASE + path;
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (auth && session) h.Authorization = `Bearer ${session.token}`;
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctl.signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    setOnline(false);
    throw new NetworkError(e.name === 'AbortError' ? '服务器无应答（超时）' : '无法连接服务器');
  } finally {
    clearTimeout(timer);
  }
  setOnline(true);
  let data = null;
  if (res.status !== 304) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  return { res, data };
}

// The ApiError of an answer that is not 2xx; a refused token (401) is
// told to the onUnauthorized listeners unless notify is false.
function refusal(res, data, notify) {
  const e = (data && data.error) || {};
  const err = new ApiError(res.status, e.code || `http_${res.status}`, e.message || res.statusText, data,
    Number(res.headers.get('Retry-After')) || 0);
  if (res.status === 401 && notify) for (const fn of authListeners) fn(err);
  return err;
}

// One request. path is under /api/v1 unless it starts with "//" (then it is
// the server's own path, e.g. "//healthz"). Resolves to the JSON answer.
// notify401: false when a refused token is expected (logging out).
export async function request(method, path, options = {}) {
  const { res, data } = await exchange(method, path, options);
  if (!res.ok) throw refusal(res, data, options.auth !== false && options.notify401 !== false);
  return data;
}

// A conditional GET: with etag (the ETag of the copy the caller holds) the
// server answers 304 without computing anything if nothing changed.
// Resolves to {notModified: true, etag} or {notModified: false, etag, data}.
export async function conditionalGet(path, etag) {
  const headers = etag ? { 'If-None-Match': etag } : {};
  const { res, data } = await exchange('GET', path, { headers });
  if (res.status === 304) return { notModified: true, etag: res.headers.get('ETag') || etag };
  if (!res.ok) throw refusal(res, data, true);
  return { notModified: false, etag: res.headers.get('ETag'), data };
}

const enc = encodeURIComponent;

export const api = {
  health: () => request('GET', '//healthz', { auth: false, timeoutMs: 4000 }),
  loginJudge: (judge, pin) => request('POST', '/login', { body: { judge, pin }, auth: false }),
  loginOrganizer: (organizer, secret) => request('POST', '/login', { body: { organizer, secret }, auth: false }),
  // Revokes the session's token on the server.
  logout: () => request('POST', '/logout', { notify401: false, timeoutMs: 5000 }),
  events: () => request('GET', '/events'),
  event: (event) => request('GET', `/events/${enc(event)}`),
  sheet: (event) => request('GET', `/events/${enc(event)}/sheet`),
  // A judge's mark; key is the submission's Idempotency-Key, the same for
  // every retry of it.
  postScore: (event, key, contestant, criterion, value) =>
    request('POST', `/events/${enc(event)}/scores`, {
      body: { contestant, criterion, value },
      headers: { 'Idempotency-Key': key },
      timeoutMs: 15000,
    }),
  // The chief judge's console (and an organizer's): conditional GETs.
  progress: (event, etag) => conditionalGet(`/events/${enc(event)}/progress`, etag),
  judgeStats: (event, etag) => conditionalGet(`/events/${enc(event)}/judges/stats`, etag),
  accept: (event, body) => request('POST', `/events/${enc(event)}/accept`, { body }),
  lock: (event) => request('POST', `/events/${enc(event)}/lock`, { timeoutMs: 30000 }),
  // The organizers' pages.
  contestants: (event) => request('GET', `/events/${enc(event)}/contestants`),
  results: (event) => request('GET', `/events/${enc(event)}/results`, { timeoutMs: 30000 }),
  unlock: (event, reason) => request('POST', `/events/${enc(event)}/unlock`, { body: { reason } }),
};

// A small cache in localStorage of what a view last read (a judge's sheet,
// the event list), so that a page reloaded while the server is down can
// still show it. Keys are per judge.
export const cache = {
  get: (name) => readJson(`contest.cache.${name}`),
  put: (name, value) => {
    try {
      localStorage.setItem(`contest.cache.${name}`, JSON.stringify(value));
    } catch {
      // storage full: the cache is only a convenience
    }
  },
  dropAll: () => {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const k = localStorage.key(i);
      if (k && k.startsWith('contest.cache.')) localStorage.removeItem(k);
    }
  },
};
