// #/events for an organizer: every event with its state and scoring
// progress, and the way to its progress console, draw sheet (抽签表) and
// results. A contest has up to a hundred events, so progress is read
// lazily: only for the events on screen, two requests at a time, each as a
// conditional GET with the ETag of the copy kept in localStorage (an
// unchanged event answers 304 without being computed), again at most every
// REFRESH_MS while on screen and never while the tab is hidden.

import { api, cache, conditionalGet, getSession, NetworkError } from './api.js';
import { Poller } from './poll.js';
import { fill, h, STATE_NAMES } from './ui.js';

const REFRESH_MS = 30000; // how old a shown progress may get
const PARALLEL = 2;        // progress requests at once
const SCORED = new Set(['drawn', 'locked', 'published', 'final']);

export function render(root) {
  const s = getSession();
  const status = h('p', { class: 'note', role: 'status' }, '正在读取赛项…');
  const filter = h('input', { type: 'search', id: 'event-filter', placeholder: '按代码或名称筛选', 'aria-label': '筛选赛项' });
  const totals = h('p', { class: 'note', id: 'event-totals' });
  const list = h('div', { class: 'org-events', id: 'org-events' });
  root.append(h('section', { class: 'org-page' },
    h('div', { class: 'console-head' }, h('h1', {}, '赛项一览'), h('nav', { class: 'console-nav' }, filter)),
    totals, status, list));

  let alive = true;
  const rows = new Map();   // event code -> {el, event, shown, fetchedAt, visible}
  const waiting = [];       // event codes whose progress is to be read
  let running = 0;
  const cacheName = (code) => `progress.${s.organizer}.${code}`;

  function showProgress(row, entry, note = '') {
    const box = row.progressEl;
    if (!SCORED.has(row.event.state)) {
      fill(box, h('span', { class: 'note' }, '未抽签，尚未开始评分'));
      return;
    }
    if (!entry) {
      fill(box, h('span', { class: 'note' }, '进度读取中…'));
      return;
    }
    const m = entry.summary;
    fill(box,
      h('meter', { min: 0, max: Math.max(1, m.required), value: m.entered }),
      h('span', { class: 'prog-text' }, `${m.complete}/${m.competed} 名选手评完 · 分数 ${m.entered}/${m.required}`),
      m.open_discrepancies ? h('span', { class: 'chip bad' }, `${m.open_discrepancies} 个分歧待处理`) : null,
      note ? h('span', { class: 'note small' }, note) : null);
  }

  async function fetchProgress(row) {
    const code = row.event.code;
    const kept = cache.get(cacheName(code));
    try {
      const answer = await conditionalGet(`/events/${encodeURIComponent(code)}/progress`, kept && kept.etag);
      const entry = answer.notModified ? kept : { etag: answer.etag, summary: answer.data.summary };
      if (!answer.notModified) cache.put(cacheName(code), entry);
      row.fetchedAt = Date.now();
      if (alive) showProgress(row, entry);
    } catch (err) {
      row.fetchedAt = Date.now();
      if (alive) showProgress(row, kept, err instanceof NetworkError ? '（未连接服务器，显示此前的进度）' : `（${err.message}）`);
    }
  }

  function pump() {
    while (alive && running < PARALLEL && waiting.length) {
      const row = rows.get(waiting.shift());
      if (!row) continue;
      row.queued = false;
      running++;
      fetchProgress(row).finally(() => {
        running--;
        pump();
      });
    }
  }

  // Reads the progress of a row on screen unless it was read in the last
  // half of REFRESH_MS (so that each poll reads the rows on screen once).
  function want(row) {
    if (!SCORED.has(row.event.state) || row.queued || !row.visible || row.el.hidden) return;
    if (row.fetchedAt && Date.now() - row.fetchedAt < REFRESH_MS / 2) return;
    row.queued = true;
    waiting.push(row.event.code);
    pump();
  }

  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const row = rows.get(e.target.dataset.event);
      if (!row) continue;
      row.visible = e.isIntersecting;
      if (row.visible && !document.hidden) want(row);
    }
  }, { rootMargin: '100px 0px' });

  function rowOf(e) {
    const enc = encodeURIComponent(e.code);
    const progressEl = h('div', { class: 'prog' });
    const el = h('article', { class: 'org-event', dataset: { event: e.code } },
      h('div', { class: 'title' }, h('b', {}, e.code), ' ', e.name),
      h('span', { class: `chip state-${e.state}` }, STATE_NAMES[e.state] || e.state),
      h('span', { class: 'meta' }, `${e.contestants} 名选手`),
      progressEl,
      h('nav', { class: 'links' },
        SCORED.has(e.state) ? h('a', { href: `#/chief/${enc}`, class: 'button' }, '评分进度') : null,
        h('a', { href: `#/draw/${enc}`, class: 'button' }, '抽签表'),
        h('a', { href: `#/results/${enc}`, class: 'button' }, '成绩')));
    return { el, progressEl, event: e, fetchedAt: 0, visible: false, queued: false };
  }

  function show(events) {
    const byState = new Map();
    for (const e of events) byState.set(e.state, (byState.get(e.state) || 0) + 1);
    totals.textContent = `共 ${events.length} 个赛项` + (events.length
      ? `：${[...byState].map(([st, n]) => `${STATE_NAMES[st] || st} ${n}`).join('，')}` : '');
    for (const e of events) {
      const old = rows.get(e.code);
      if (old && old.event.state === e.state && old.event.contestants === e.contestants) continue;
      const row = rowOf(e);
      if (old) {
        observer.unobserve(old.el);
        old.el.replaceWith(row.el);
      } else {
        list.append(row.el);
      }
      rows.set(e.code, row);
      showProgress(row, cache.get(cacheName(e.code)));
      observer.observe(row.el);
    }
    applyFilter();
  }

  function applyFilter() {
    const q = filter.value.trim().toLowerCase();
    for (const row of rows.values())
      row.el.hidden = q !== '' && !`${row.event.code} ${row.event.name}`.toLowerCase().includes(q);
  }
  filter.addEventListener('input', applyFilter);

  const poller = new Poller({
    intervalMs: REFRESH_MS,
    run: async () => {
      const answer = await api.events();
      if (!alive) return;
      status.textContent = answer.events.length ? '' : '还没有登记赛项（judge-cli import events）。';
      show(answer.events);
      for (const row of rows.values()) want(row);
    },
    onError: (err) => {
      if (alive) status.textContent = err instanceof NetworkError ? '未连接服务器，稍后自动重试。' : `无法读取赛项：${err.message}`;
    },
  });
  poller.start();
  return () => {
    alive = false;
    poller.stop();
    observer.disconnect();
  };
}
