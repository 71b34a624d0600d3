// The web terminal: the header (who is logged in, whether the server is
// reachable, how many marks wait to be sent), the router and the submission
// queue. Views are modules with render(root, params, ctx) that may return a
// clean-up function; the router picks one by the page's hash
// (#/login, #/events, #/sheet/EVENT, #/print/EVENT; the chief judge's
// #/chief/EVENT; the organizers' #/draw/EVENT, #/results/EVENT). A new view
// is one module and one line in `routes`.

import { api, clearSession, getSession, isOnline, NetworkError, onConnection, onUnauthorized } from './api.js';
import { SubmissionQueue } from './queue.js';
import { confirmDialog, ROLE_NAMES } from './ui.js';
import * as eventsView from './view-events.js';
import * as loginView from './view-login.js';
import * as printView from './view-print.js';
import * as sheetView from './view-sheet.js';
import * as chiefView from './view-chief.js';
import * as drawSheetView from './view-drawsheet.js';
import * as orgEventsView from './view-org-events.js';
import * as resultsView from './view-results.js';

// roles: the session roles a route is for (none: any session); public: no
// session needed. The first route whose pattern and roles fit is taken.
const routes = [
  { pattern: /^#\/login(?:\/(organizer))?$/, view: loginView, public: true },
  { pattern: /^#\/events$/, view: orgEventsView, roles: ['organizer'] },
  { pattern: /^#\/events$/, view: eventsView },
  { pattern: /^#\/sheet\/([^/]+)$/, view: sheetView, roles: ['judge'] },
  { pattern: /^#\/print\/([^/]+)$/, view: printView, roles: ['judge'] },
  { pattern: /^#\/chief\/([^/]+)$/, view: chiefView, roles: ['judge', 'organizer'] },
  { pattern: /^#\/draw\/([^/]+)$/, view: drawSheetView, roles: ['organizer'] },
  { pattern: /^#\/results\/([^/]+)$/, view: resultsView, roles: ['organizer'] },
];

const PROBE_MS = 3000; // how often an unreachable server is asked again

const queue = new SubmissionQueue({
  send: (i) => api.postScore(i.event, i.key, i.contestant, i.criterion, i.value),
});

const ctx = {
  queue,
  navigate(hash) {
    if (location.hash === hash) route();
    else location.hash = hash;
  },
  session: getSession,
  // A notice shown on the next login page (e.g. why the session ended).
  notice: '',
  swState: 'serviceWorker' in navigator ? '正在启用' : '不可用（此地址的浏览器不允许）',
};

let cleanup = null;

function sessionValid() {
  const s = getSession();
  return s && s.token && (!s.expires_at || Date.parse(s.expires_at) > Date.now());
}

function route() {
  const hash = location.hash || '';
  const s = sessionValid() ? getSession() : null;
  let found = null;
  let params = [];
  for (const r of routes) {
    const m = r.pattern.exec(hash);
    if (!m) continue;
    if (r.roles && !(s && r.roles.includes(s.role))) continue;
    found = r;
    params = m.slice(1).map((p) => (p === undefined ? p : decodeURIComponent(p)));
    break;
  }
  if (!found) {
    // an unknown page, or one for another role
    ctx.navigate(s ? '#/events' : '#/login');
    return;
  }
  if (!found.public && !s) {
    ctx.navigate('#/login');
    return;
  }
  if (cleanup) cleanup();
  cleanup = null;
  const root = document.getElementById('view');
  root.replaceChildren();
  updateHeader();
  cleanup = found.view.render(root, params, ctx) || null;
}

function updateHeader() {
  const s = sessionValid() ? getSession() : null;
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  who.textContent = !s ? '未登录' : s.role === 'organizer' ? `${ROLE_NAMES.organizer} ${s.organizer || ''}` : `裁判 ${s.judge || ''}`;
  logout.hidden = !s;
  const conn = document.getElementById('conn');
  const online = isOnline();
  conn.className = `conn ${online === false ? 'is-offline' : online ? 'is-online' : 'is-unknown'}`;
  conn.textContent = online === false ? '未连接服务器' : online ? '已连接' : '连接中…';
  const n = s && s.judge ? queue.items(s.judge).length : 0;
  const pending = document.getElementById('pending');
  pending.textContent = n ? `待发送 ${n} 条` : '无待发送';
  pending.className = `pending${n ? ' has-pending' : ''}`;
}

async function logout() {
  const s = getSession();
  const n = s && s.judge ? queue.items(s.judge).length : 0;
  if (n) {
    const ok = await confirmDialog({
      title: '还有分数未发送',
      message: `本机还有 ${n} 条分数未发送到服务器。退出后它们仍保存在本机，${s.judge} 再次登录时自动发送。确定退出？`,
      ok: '退出',
    });
    if (!ok) return;
  }
  // The server forgets the token; without the server, this terminal does
  // (the token stays valid on the server until it expires).
  const button = document.getElementById('logout');
  button.disabled = true;
  try {
    await api.logout();
    ctx.notice = '已退出。';
  } catch (err) {
    ctx.notice = err instanceof NetworkError
      ? '未连接服务器：已在本机退出，但服务器上的这次登录要到期后才失效。连接恢复后可重新登录再退出一次。'
      : '已退出。';
  } finally {
    button.disabled = false;
  }
  clearSession();
  queue.setJudge(null);
  const login = s && s.role === 'organizer' ? '#/login/organizer' : '#/login';
  ctx.navigate(login);
}

function probe() {
  api.health().catch(() => {});
}

function start() {
  document.getElementById('logout').addEventListener('click', logout);
  onConnection((online) => {
    updateHeader();
    if (online) queue.kick();
  });
  onUnauthorized(() => {
    clearSession();
    queue.setJudge(null);
    ctx.notice = '登录已失效，请重新登录。未发送的分数保存在本机，登录后自动发送。';
    ctx.navigate('#/login');
  });
  queue.on((ev) => {
    if (ev.type === 'change' || ev.type === 'saved' || ev.type === 'refused') updateHeader();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('online', probe);
  // the queue's storage changed in another tab of this terminal
  window.addEventListener('storage', () => updateHeader());
  setInterval(() => {
    if (isOnline() !== true) probe();
  }, PROBE_MS);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/static/sw.js', { scope: '/' })
      .then(() => navigator.serviceWorker.ready)
      .then(() => { ctx.swState = '已启用'; })
      .catch(() => { ctx.swState = '启用失败'; })
      .finally(() => {
        const el = document.getElementById('offline-state');
        if (el) el.textContent = `离线重新载入：${ctx.swState}`;
      });
  }
  const s = sessionValid() ? getSession() : null;
  queue.setJudge(s && s.role === 'judge' ? s.judge : null);
  probe();
  route();
}

start();
