// #/sheet/EVENT: the judge's score sheet. Rows are the contestants the judge
// scores, by anonymous code in workstation order; columns are the criteria
// under their modules. Every mark is checked as the server checks it, then
// goes through the submission queue; each cell shows whether its value is
// saved, waiting to be sent, or was refused (with the server's message).
// Tab and Enter move along the grid (Shift goes back), the arrow keys up
// and down move within a criterion, Escape undoes what was typed in a cell. The sheet is kept in the local cache so
// that it can be shown again while the server is down.

import { api, cache, getSession, NetworkError, onConnection } from './api.js';
import { checkMark, hundredths, METHOD_NAMES } from './marks.js';
import { confirmDialog, fullTime, h, STATE_NAMES } from './ui.js';

const STATE_TEXT = { saved: '已保存', pending: '待发送', refused: '被拒绝', invalid: '有误', empty: '' };
// What a refusal means, by HTTP status; the server's own message follows.
const REFUSAL = { 400: '数据不符合要求', 403: '无权为该选手评分', 404: '选手或评分项不存在', 409: '赛项当前不允许评分' };
const refusal = (status) => REFUSAL[status] || `错误 ${status}`;

export function render(root, [event], ctx) {
  const judge = getSession().judge;
  const cacheName = `sheet.${judge}.${event}`;
  const title = h('h1', {}, `${event} 评分表`);
  const info = h('p', { class: 'sheet-info' });
  const banner = h('p', { class: 'banner', hidden: true });
  const progress = h('span', { class: 'progress' });
  const message = h('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const refusedBox = h('div', { class: 'refused-list', hidden: true });
  const gridWrap = h('div', { class: 'grid-wrap' });
  root.append(h('section', { class: 'sheet' },
    h('div', { class: 'sheet-head' }, title,
      h('nav', { class: 'sheet-nav' }, progress,
        h('a', { href: `#/print/${encodeURIComponent(event)}`, class: 'button' }, '打印评分记录表'),
        h('a', { href: '#/events', class: 'button' }, '我的赛项'))),
    info, banner, refusedBox,
    h('p', { class: 'hint' }, '输入分数后按 Tab 或 Enter 到下一格（Shift 返回上一格，↑↓ 上下移动，Esc 撤销本格输入）。评价项按 0–3；扣分项留空即“无扣分”，有扣分时输入扣分值。'),
    gridWrap, message));

  let sheet = null;
  let cells = [];        // cells[row][col]
  const byCell = new Map(); // "code\ncriterion" -> cell
  let alive = true;
  const cellKey = (contestant, criterion) => `${contestant}\n${criterion}`;

  function say(text, kind = '') {
    message.textContent = text;
    message.className = `message ${kind}`;
  }

  // What waits in the queue and what was refused, by cell, read once per
  // repaint (the queue lives in localStorage).
  function snapshot() {
    const pending = new Map();
    for (const i of ctx.queue.items(judge)) if (i.event === event) pending.set(cellKey(i.contestant, i.criterion), i);
    const refused = new Map();
    for (const r of ctx.queue.refused(judge)) if (r.event === event) refused.set(cellKey(r.contestant, r.criterion), r);
    return { pending, refused };
  }

  // What the cell holds now: the value waiting to be sent, else the saved one.
  function currentValue(cell, snap = snapshot()) {
    const p = snap.pending.get(cellKey(cell.code, cell.crit.code));
    return p ? p.value : cell.saved;
  }

  function paint(cell, snap = snapshot()) {
    const key = cellKey(cell.code, cell.crit.code);
    const p = snap.pending.get(key);
    const r = p ? null : snap.refused.get(key);
    let state = 'empty';
    let shown = '';
    let tip = cell.crit.method === 'deduction' ? '无扣分' : '未录入';
    if (cell.invalid) {
      state = 'invalid';
      shown = null;
      tip = cell.invalid;
    } else if (p) {
      state = 'pending';
      shown = p.value;
      tip = '待发送：连接服务器后自动发送';
    } else if (r) {
      state = 'refused';
      shown = r.value;
      tip = `服务器拒绝了 ${r.value}（${refusal(r.status)}）：${r.message}`;
      if (cell.saved !== null) tip += `（已保存的仍是 ${cell.saved}）`;
    } else if (cell.saved !== null) {
      state = 'saved';
      shown = cell.saved;
      tip = `已保存 ${cell.saved}`;
    }
    cell.td.dataset.state = state;
    cell.td.title = tip;
    cell.mark.textContent = STATE_TEXT[state];
    if (cell.input && shown !== null && !cell.dirty) cell.input.value = shown;
    if (cell.buttons) {
      for (const b of cell.buttons) {
        const on = shown !== null && shown !== '' && hundredths(shown) === hundredths(b.textContent);
        b.setAttribute('aria-checked', on ? 'true' : 'false');
      }
    }
  }

  function paintAll() {
    const snap = snapshot();
    let done = 0;
    let need = 0;
    for (const row of cells) {
      for (const cell of row) {
        paint(cell, snap);
        if (cell.crit.method === 'deduction') continue;
        need++;
        if (currentValue(cell, snap) !== null) done++;
      }
    }
    progress.textContent = `已录入 ${done} / ${need}`;
    const refused = [...snap.refused.values()];
    refusedBox.hidden = refused.length === 0;
    refusedBox.replaceChildren(...refused.map((r) => h('p', {},
      h('b', {}, `${r.contestant} · ${r.criterion} = ${r.value}`), ` 被服务器拒绝（${refusal(r.status)}）：${r.message} `,
      h('button', { type: 'button', onclick: () => ctx.queue.dismissRefused(r.key) }, '知道了'))));
  }

  // Enters text into cell: checks it, asks before a revision, queues it.
  async function commit(cell, text) {
    cell.dirty = false;
    const label = `${cell.code} 的 ${cell.crit.code}`;
    const current = currentValue(cell);
    if (text.trim() === '') {
      cell.invalid = null;
      paint(cell);
      if (current !== null) say(`${label} 已录入 ${current}，不能清空；如需更正，请输入新的分数。`, 'warn');
      return true;
    }
    const chk = checkMark(text, cell.crit);
    if (!chk.ok) {
      cell.invalid = `${label}：${chk.message}`;
      paint(cell);
      say(cell.invalid, 'error');
      return false;
    }
    cell.invalid = null;
    if (current !== null && hundredths(current) === chk.c) {
      // the value it has: nothing to send, and an old refusal is answered
      const r = snapshot().refused.get(cellKey(cell.code, cell.crit.code));
      if (r) ctx.queue.dismissRefused(r.key);
      paint(cell);
      return true;
    }
    if (current !== null) {
      const ok = await confirmDialog({
        title: '修改已录入的分数',
        message: `加密号 ${cell.code} 的 ${cell.crit.code}（${cell.crit.description}）已录入 ${current}，确定改为 ${chk.value}？修改会留下记录。`,
        ok: '确定修改',
        cancel: '不修改',
      });
      if (!ok) {
        paint(cell);
        say(`${label} 保持 ${current}。`);
        return true;
      }
    }
    ctx.queue.add({ judge, event, contestant: cell.code, criterion: cell.crit.code, value: chk.value });
    say(`${label} = ${chk.value}`);
    paintAll();
    return true;
  }

  function focusCell(row, col) {
    if (row < 0 || row >= cells.length) return;
    const cell = cells[row][col];
    if (cell) cell.focusEl.focus();
  }

  function moveFrom(cell, step) {
    const n = sheet.criteria.length;
    const at = cell.row * n + cell.col + step;
    if (at < 0 || at >= cells.length * n) return;
    focusCell(Math.floor(at / n), at % n);
  }

  async function onKey(e, cell) {
    if (e.key === 'Enter') {
      e.preventDefault();
      const ok = cell.input ? await commit(cell, cell.input.value) : true;
      if (ok) moveFrom(cell, e.shiftKey ? -1 : 1);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const ok = cell.input && cell.dirty ? await commit(cell, cell.input.value) : true;
      if (ok) focusCell(cell.row + (e.key === 'ArrowDown' ? 1 : -1), cell.col);
    } else if (e.key === 'Escape' && cell.input) {
      // back to what the cell holds
      cell.dirty = false;
      cell.invalid = null;
      paint(cell);
      cell.input.select();
    } else if (cell.buttons && /^[0-3]$/.test(e.key)) {
      e.preventDefault();
      await commit(cell, e.key);
    }
  }

  function buildCell(row, col, entry, crit, open) {
    const td = h('td', { class: `cell m-${crit.method}` });
    const cell = { row, col, code: entry.code, crit, td, saved: null, dirty: false, invalid: null };
    const label = `${entry.code} ${crit.code}`;
    if (crit.method === 'judgement') {
      cell.buttons = [0, 1, 2, 3].map((v) => h('button', { type: 'button', tabindex: '-1', role: 'radio',
        'aria-checked': 'false', disabled: !open, onclick: () => { if (open) commit(cell, String(v)); } }, String(v)));
      cell.focusEl = h('div', { class: 'judge4', role: 'radiogroup', tabindex: open ? '0' : '-1', 'aria-label': label },
        cell.buttons);
    } else {
      cell.input = h('input', { class: 'mark', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
        'aria-label': label, maxlength: 12, readonly: !open,
        placeholder: crit.method === 'deduction' ? '无扣分' : '' });
      cell.input.addEventListener('input', () => { cell.dirty = true; });
      cell.input.addEventListener('change', () => { if (cell.dirty) commit(cell, cell.input.value); });
      cell.input.addEventListener('focus', () => cell.input.select());
      cell.focusEl = cell.input;
    }
    cell.focusEl.addEventListener('keydown', (e) => { if (open) onKey(e, cell); });
    cell.mark = h('span', { class: 'state', 'aria-hidden': 'true' });
    td.append(cell.focusEl, cell.mark);
    return cell;
  }

  function build(data, fromCache) {
    sheet = data;
    const open = data.state === 'drawn';
    title.textContent = `${data.event} ${data.name} · 评分表`;
    info.textContent = `裁判 ${data.judge || judge}${data.judge_name ? ` ${data.judge_name}` : ''} · ${STATE_NAMES[data.state] || data.state} · ${data.contestants.length} 名选手`;
    if (fromCache) {
      banner.hidden = false;
      banner.textContent = `未连接服务器：显示的是本机保存的评分表（${fullTime(new Date(fromCache))} 读取）。录入的分数先保存在本机，连接恢复后自动发送。`;
    } else if (!open) {
      banner.hidden = false;
      banner.textContent = `本赛项${STATE_NAMES[data.state] || data.state}，分数不能录入或修改。`;
    } else {
      banner.hidden = true;
    }
    const modules = data.modules || [];
    const moduleOf = new Map(modules.map((m) => [m.code, m]));
    const headModules = h('tr', {}, h('th', { rowspan: 2, class: 'ws' }, '工位'), h('th', { rowspan: 2, class: 'code' }, '加密号'));
    const headCriteria = h('tr');
    let lastModule = null;
    for (const c of data.criteria) {
      if (c.module !== lastModule) {
        const span = data.criteria.filter((x) => x.module === c.module).length;
        const m = moduleOf.get(c.module);
        headModules.append(h('th', { colspan: span, class: 'module' },
          `${c.module}${m ? ` ${m.name}` : ''}`, m ? h('small', {}, ` 满分 ${m.max}`) : null));
        lastModule = c.module;
      }
      const limit = c.method === 'judgement' ? '0–3' : c.method === 'deduction' ? `最多扣 ${c.max}` : `满分 ${c.max}`;
      headCriteria.append(h('th', { class: `crit m-${c.method}`, title: c.description },
        h('span', { class: 'crit-code' }, c.code), h('span', { class: 'crit-desc' }, c.description),
        h('span', { class: 'crit-max' }, `${limit} · ${METHOD_NAMES[c.method] || c.method}`)));
    }
    const body = h('tbody');
    cells = [];
    byCell.clear();
    data.contestants.forEach((entry, row) => {
      const tr = h('tr', {}, h('th', { class: 'ws' }, entry.workstation ?? ''), h('th', { class: 'code' }, entry.code));
      const rowCells = data.criteria.map((crit, col) => {
        const cell = buildCell(row, col, entry, crit, open);
        const v = entry.values ? entry.values[crit.code] : undefined;
        cell.saved = v === undefined ? null : v;
        byCell.set(cellKey(entry.code, crit.code), cell);
        tr.append(cell.td);
        return cell;
      });
      cells.push(rowCells);
      body.append(tr);
    });
    const table = h('table', { class: 'grid' }, h('thead', {}, headModules, headCriteria), body);
    gridWrap.replaceChildren(table);
    if (!data.contestants.length) gridWrap.append(h('p', { class: 'note' }, '没有需要您评分的选手（尚未抽签，或均已回避）。'));
    paintAll();
  }

  // Takes the server's sheet in without disturbing the cell being typed in.
  function refresh(data) {
    if (!sheet || sheet.state !== data.state || sheet.contestants.length !== data.contestants.length ||
        sheet.criteria.length !== data.criteria.length) {
      const focused = document.activeElement;
      const at = cells.flat().find((c) => c.focusEl === focused);
      build(data, null);
      if (at) focusCell(at.row, at.col);
      return;
    }
    sheet = data;
    banner.hidden = data.state === 'drawn';
    for (const entry of data.contestants) {
      for (const crit of data.criteria) {
        const cell = byCell.get(cellKey(entry.code, crit.code));
        if (!cell) continue;
        cell.saved = entry.values[crit.code] ?? null;
      }
    }
    paintAll();
  }

  function load() {
    api.sheet(event).then((data) => {
      cache.put(cacheName, { at: Date.now(), sheet: data });
      if (alive) refresh(data);
    }).catch((err) => {
      if (!alive) return;
      const cached = cache.get(cacheName);
      if (err instanceof NetworkError && cached) {
        if (!sheet) build(cached.sheet, cached.at);
      } else if (err instanceof NetworkError) {
        gridWrap.replaceChildren(h('p', { class: 'note error' }, '无法连接服务器，本机也没有保存这张评分表。请在连接恢复后重试。'));
      } else {
        gridWrap.replaceChildren(h('p', { class: 'note error' }, `无法读取评分表：${err.message}`));
      }
    });
  }

  // A mark the server stored: it is the cell's saved value now, here and in
  // the cached sheet.
  function onSaved(item, answer) {
    if (item.event !== event) return;
    const cell = byCell.get(cellKey(item.contestant, item.criterion));
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (cell) cell.saved = answer && answer.value ? answer.value : item.value;
    const cached = cache.get(cacheName);
    const entry = cached && cached.sheet.contestants.find((c) => c.code === item.contestant);
    if (entry) {
      entry.values[item.criterion] = cell ? cell.saved : item.value;
      entry.updated = at;
      cache.put(cacheName, cached);
    }
  }

  const offQueue = ctx.queue.on((ev) => {
    if (!alive || !sheet) return;
    if (ev.type === 'saved') onSaved(ev.item, ev.answer);
    if (ev.type === 'refused' && ev.item.event === event)
      say(`${ev.item.contestant} 的 ${ev.item.criterion} = ${ev.item.value} 被服务器拒绝（${refusal(ev.error.status)}）：${ev.error.message}`, 'error');
    paintAll();
    // everything sent: read the sheet again (the server's times, and anything entered elsewhere)
    if (ev.type === 'saved' && ctx.queue.items(judge).length === 0) load();
  });
  const offConnection = onConnection((online) => {
    if (online && alive) {
      banner.hidden = sheet ? sheet.state === 'drawn' : true;
      load();
    }
  });

  load();
  return () => {
    alive = false;
    offQueue();
    offConnection();
  };
}
