// #/events: the events of the logged-in judge, with the judge's role and the
// event's state: a score sheet where the judge scores, the chief judge's
// console where the judge is the chief. A judge with exactly one event goes
// straight to its sheet or console. The list is kept in the local cache for
// a reload while the server is down.

import { api, cache, getSession, NetworkError } from './api.js';
import { h, ROLE_NAMES, STATE_NAMES } from './ui.js';

export function render(root, _params, ctx) {
  const s = getSession();
  const cacheName = `events.${s.judge || s.role}`;
  const status = h('p', { class: 'note' }, '正在读取赛项…');
  const list = h('div', { class: 'event-list' });
  root.append(h('section', { class: 'card' }, h('h1', {}, '我的赛项'), status, list));
  let alive = true;

  function show(events, fromCache) {
    list.replaceChildren();
    status.textContent = fromCache ? '未连接服务器：显示的是本机上次读取的赛项。' : '';
    if (!events.length) status.textContent = '您还没有被分配到任何赛项，请联系组织方。';
    for (const e of events) {
      const role = e.role || s.role;
      const meta = h('span', { class: 'meta' }, `${ROLE_NAMES[role] || role} · ${STATE_NAMES[e.state] || e.state} · ${e.contestants} 名选手`);
      const title = h('span', { class: 'title' }, h('b', {}, e.code), ' ', e.name);
      if (role === 'judge') {
        list.append(h('a', { class: 'event', href: `#/sheet/${encodeURIComponent(e.code)}` }, title, meta,
          h('span', { class: 'go' }, e.state === 'drawn' ? '评分 →' : '查看 →')));
      } else {
        list.append(h('a', { class: 'event', href: `#/chief/${encodeURIComponent(e.code)}` }, title, meta,
          h('span', { class: 'go' }, '裁判长控制台 →')));
      }
    }
    if (!fromCache && events.length === 1 && !ctx.stayOnEvents) {
      ctx.stayOnEvents = true; // only once per login: "back" from the sheet comes here
      const e = events[0];
      const page = (e.role || s.role) === 'judge' ? 'sheet' : 'chief';
      ctx.navigate(`#/${page}/${encodeURIComponent(e.code)}`);
    }
  }

  api.events().then((answer) => {
    cache.put(cacheName, answer.events);
    if (alive) show(answer.events, false);
  }).catch((err) => {
    if (!alive) return;
    const cached = cache.get(cacheName);
    if (err instanceof NetworkError && cached) show(cached, true);
    else status.textContent = `无法读取赛项：${err.message}`;
  });
  return () => { alive = false; };
}
