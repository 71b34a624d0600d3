// The service worker of the web terminal: keeps a copy of the app's own
// files (never an API answer) so that the page can be reloaded while the
// server is down. Network first, so a new contestd's files are used at once;
// the copy only when the server cannot be reached. Browsers allow service
// workers on https and on localhost only (README: terminals on a plain-http
// LAN address).

const CACHE = 'contest-shell-v1';
// Every file of contestd/web/ but this one (the browser tests check it).
const SHELL = [
  '/',
  '/static/api.js',
  '/static/app.js',
  '/static/chart.js',
  '/static/console.css',
  '/static/marks.js',
  '/static/poll.js',
  '/static/public.css',
  '/static/public.html',
  '/static/public.js',
  '/static/queue.js',
  '/static/style.css',
  '/static/ui.js',
  '/static/view-chief.js',
  '/static/view-drawsheet.js',
  '/static/view-events.js',
  '/static/view-login.js',
  '/static/view-org-events.js',
  '/static/view-print.js',
  '/static/view-results.js',
  '/static/view-sheet.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function isShell(url) {
  return url.origin === self.location.origin && (url.pathname === '/' || url.pathname.startsWith('/static/'));
}

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !isShell(url)) return;
  const key = url.pathname === '/' ? '/' : url.pathname;
  event.respondWith(fetch(event.request).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(key, copy));
    }
    return res;
  }).catch(() => caches.match(key).then((hit) => hit || Response.error())));
});
