// #/print/EVENT: the judge's 评分记录表, the record of the judge's own sheet
// as the server holds it (event, judge, anonymous codes in workstation
// order, values, when each row was last entered, a signature line), laid out
// for the browser's print on A4 (style.css, @media print).

import { api, cache, getSession, NetworkError } from './api.js';
import { fullTime, h, shortTime } from './ui.js';

export function render(root, [event], ctx) {
  const judge = getSession().judge;
  const status = h('p', { class: 'note no-print' }, '正在读取评分表…');
  const doc = h('article', { class: 'print-doc' });
  const pending = ctx.queue.items(judge).filter((i) => i.event === event).length;
  const waiting = h('p', { class: 'banner no-print', hidden: !pending },
    `还有 ${pending} 条分数未保存到服务器，记录表中没有它们。请等待发送完成后再打印。`);
  root.append(h('div', { class: 'print-tools no-print' },
    h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, '打印'),
    h('a', { href: `#/sheet/${encodeURIComponent(event)}`, class: 'button' }, '返回评分表')),
  waiting, status, doc);
  let alive = true;

  function show(data, cachedAt) {
    status.textContent = cachedAt
      ? `未连接服务器：以下是本机 ${fullTime(new Date(cachedAt))} 保存的评分表，可能不是最新。`
      : '';
    const wide = data.criteria.length > 8;
    document.body.classList.toggle('print-wide', wide);
    const head = h('tr', {}, h('th', {}, '工位号'), h('th', {}, '加密号'),
      data.criteria.map((c) => h('th', {}, c.code, h('br'), h('small', {}, c.method === 'judgement' ? '0–3' : c.max))),
      h('th', {}, '录入时间'));
    const rows = data.contestants.map((c) => h('tr', {}, h('td', {}, c.workstation ?? ''), h('td', { class: 'code' }, c.code),
      data.criteria.map((k) => h('td', { class: 'num' }, c.values[k.code] ?? (k.method === 'deduction' ? '无' : ''))),
      h('td', { class: 'time' }, c.updated ? shortTime(c.updated) : '')));
    const legend = data.criteria.map((c) => `${c.code} ${c.description}`).join('；');
    doc.replaceChildren(
      h('h1', {}, '评分记录表'),
      h('table', { class: 'print-meta' }, h('tbody', {},
        h('tr', {}, h('th', {}, '赛项'), h('td', {}, `${data.event} ${data.name}`),
          h('th', {}, '裁判'), h('td', {}, `${data.judge || judge} ${data.judge_name || ''}`)),
        h('tr', {}, h('th', {}, '打印时间'), h('td', {}, fullTime()),
          h('th', {}, '选手数'), h('td', {}, String(data.contestants.length))))),
      h('table', { class: 'print-grid' }, h('thead', {}, head), h('tbody', {}, rows)),
      h('p', { class: 'print-legend' }, `评分项：${legend}。扣分项未录入为“无”（无扣分）。`),
      h('div', { class: 'signature' },
        h('span', {}, '裁判员签名：', h('span', { class: 'line' })),
        h('span', {}, '日期：', h('span', { class: 'line short' }))));
  }

  api.sheet(event).then((data) => {
    cache.put(`sheet.${judge}.${event}`, { at: Date.now(), sheet: data });
    if (alive) show(data, 0);
  }).catch((err) => {
    if (!alive) return;
    const cached = cache.get(`sheet.${judge}.${event}`);
    if (err instanceof NetworkError && cached) show(cached.sheet, cached.at);
    else status.textContent = `无法读取评分表：${err.message}`;
  });
  return () => {
    alive = false;
    document.body.classList.remove('print-wide');
  };
}
