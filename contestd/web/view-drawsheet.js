// #/draw/EVENT: the organizers' draw sheet (抽签表): workstation, anonymous
// code, registration id and name of every contestant, in workstation order,
// laid out for the browser's print on A4 (style.css, @media print). It ties
// the anonymous codes to the people, so it is shown to organizers only and
// never kept on the terminal.

import { api } from './api.js';
import { fill, fullTime, h, shortTime } from './ui.js';

export const STATUS_NAMES = {
  registered: '已报名',
  competed: '参赛',
  absent: '缺考',
  withdrawn: '退赛',
  disqualified: '取消资格',
};

export function render(root, [event]) {
  const status = h('p', { class: 'note no-print' }, '正在读取抽签结果…');
  const doc = h('article', { class: 'print-doc draw-sheet' });
  root.append(h('div', { class: 'print-tools no-print' },
    h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, '打印抽签表'),
    h('a', { href: '#/events', class: 'button' }, '赛项一览')),
  status, doc);
  let alive = true;

  function show(info, list) {
    const rows = [...list.contestants].sort((a, b) =>
      (a.workstation ?? Infinity) - (b.workstation ?? Infinity) || a.reg_id.localeCompare(b.reg_id));
    const drawn = rows.some((c) => c.workstation !== null);
    status.textContent = drawn ? '' : '本赛项尚未抽签：工位号和加密号在抽签（judge-cli draw）后才有。';
    const remark = (c) => [c.status !== 'competed' && c.status !== 'registered' ? STATUS_NAMES[c.status] || c.status : '',
      c.reason || '', c.members ? `成员：${c.members.split(';').join('、')}` : ''].filter(Boolean).join(' ');
    fill(doc,
      h('h1', {}, '抽签表'),
      h('table', { class: 'print-meta' }, h('tbody', {},
        h('tr', {}, h('th', {}, '赛项'), h('td', {}, `${info.code} ${info.name}`),
          h('th', {}, '选手数'), h('td', {}, String(rows.length))),
        h('tr', {}, h('th', {}, '抽签时间'), h('td', {}, info.drawn_at ? shortTime(info.drawn_at) : '未抽签'),
          h('th', {}, '打印时间'), h('td', {}, fullTime())))),
      h('table', { class: 'print-grid' },
        h('thead', {}, h('tr', {}, h('th', {}, '工位号'), h('th', {}, '加密号'), h('th', {}, '报名号'),
          h('th', {}, '姓名'), h('th', {}, '备注'))),
        h('tbody', {}, rows.map((c) => h('tr', {},
          h('td', {}, c.workstation ?? ''), h('td', { class: 'code' }, c.code ?? ''), h('td', {}, c.reg_id),
          h('td', { class: 'name' }, c.name), h('td', { class: 'remark' }, remark(c)))))),
      h('p', { class: 'print-legend' }, '保密：本表载明加密号与选手的对应关系，赛项锁定前不得向裁判公开。'),
      h('div', { class: 'signature' },
        h('span', {}, '抽签人：', h('span', { class: 'line short' })),
        h('span', {}, '监督人：', h('span', { class: 'line short' })),
        h('span', {}, '日期：', h('span', { class: 'line short' }))));
  }

  Promise.all([api.event(event), api.contestants(event)]).then(([info, list]) => {
    if (alive) show(info, list);
  }).catch((err) => {
    if (alive) status.textContent = `无法读取抽签表：${err.message}`;
  });
  return () => { alive = false; };
}
