// #/results/EVENT: an event's results for the organizers: rank, registration
// id, name, organization, module scores, total and award (一等奖/二等奖/
// 三等奖), marked provisional until the event is locked; and, for a locked
// event, the unlock with a reason (an organizer's correction starts here).

import { api, ApiError } from './api.js';
import { confirmDialog, fill, fullTime, h, STATE_NAMES } from './ui.js';
import { STATUS_NAMES } from './view-drawsheet.js';

export const AWARD_NAMES = { first: '一等奖', second: '二等奖', third: '三等奖' };
const UNLOCKABLE = new Set(['locked', 'published']);

// cutoffs [3, 8, 15] -> "一等奖 第 1–3 名；二等奖 第 4–8 名；三等奖 第
// 9–15 名": the ranks of each award (a rank at or below C_t gets the first
// such t).
function tiers(cutoffs) {
  let prev = 0;
  return ['first', 'second', 'third'].map((a, t) => {
    const c = cutoffs[t];
    const text = c > prev ? `${AWARD_NAMES[a]} 第 ${prev + 1 === c ? c : `${prev + 1}–${c}`} 名` : `${AWARD_NAMES[a]} 无`;
    prev = Math.max(prev, c);
    return text;
  }).join('；');
}

export function render(root, [event]) {
  const status = h('p', { class: 'note no-print' }, '正在读取成绩…');
  const banner = h('p', { class: 'banner no-print', id: 'results-state', hidden: true });
  const doc = h('article', { class: 'print-doc results-doc' });
  const unlockBox = h('section', { class: 'panel unlock no-print', id: 'unlock', hidden: true });
  root.append(h('div', { class: 'print-tools results-tools no-print' },
    h('button', { type: 'button', class: 'primary', onclick: () => window.print() }, '打印'),
    h('a', { href: `#/chief/${encodeURIComponent(event)}`, class: 'button' }, '评分进度'),
    h('a', { href: '#/events', class: 'button' }, '赛项一览')),
  status, banner, unlockBox, doc);
  let alive = true;

  function showUnlock(state) {
    unlockBox.hidden = !UNLOCKABLE.has(state);
    if (unlockBox.hidden) return;
    const reason = h('input', { id: 'unlock-reason', maxlength: 500, placeholder: '如：B2 录入错误，需更正', 'aria-label': '解锁理由' });
    const button = h('button', { type: 'submit' }, '解锁');
    const message = h('p', { class: 'form-message', role: 'alert' });
    const form = h('form', { class: 'unlock-form', novalidate: true },
      h('label', { for: 'unlock-reason' }, '理由：'), reason, button);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const why = reason.value.trim();
      if (!why) {
        message.textContent = '请填写解锁的理由（记入审计记录）';
        reason.focus();
        return;
      }
      const ok = await confirmDialog({
        title: '解锁赛项',
        message: `解锁后 ${event} 回到评分中，裁判可以更正分数，之后须重新锁定。理由“${why}”将记入审计记录。确定解锁？`,
        ok: '解锁',
        cancel: '不解锁',
      });
      if (!ok) return;
      button.disabled = true;
      try {
        await api.unlock(event, why);
        load(`${event} 已解锁（理由：${why}），现在可以更正分数，之后须重新锁定。`);
      } catch (err) {
        message.textContent = err instanceof ApiError ? `无法解锁：${err.message}` : '无法连接服务器，未能解锁。';
      } finally {
        button.disabled = false;
      }
    });
    fill(unlockBox, h('h2', {}, '更正成绩：解锁赛项'),
      h('p', { class: 'note small' }, '赛项锁定后分数不能修改。需要更正时，写明理由后解锁；裁判更正后，由裁判长或组织方重新锁定。'),
      form, message);
  }

  function show(r, notice) {
    const provisional = r.state === 'drawn' || r.state === 'setup';
    banner.hidden = false;
    banner.className = `banner no-print${provisional ? '' : ' ok'}`;
    banner.textContent = notice || (provisional
      ? `临时成绩：赛项${STATE_NAMES[r.state] || r.state}，尚未锁定` +
        (r.n_incomplete || r.n_open_discrepancies ? `（${r.n_incomplete} 名选手未评完，${r.n_open_discrepancies} 个分歧未处理）` : '') +
        '；排名和奖项可能变化。'
      : `成绩${STATE_NAMES[r.state] || r.state}。`);
    status.textContent = '';
    showUnlock(r.state);
    const head = h('tr', {}, h('th', {}, '名次'), h('th', {}, '报名号'), h('th', {}, '姓名'), h('th', {}, '单位'),
      r.modules.map((m) => h('th', {}, `${m.code} ${m.name}`, h('br'), h('small', {}, m.weight !== null ? `${m.weight}%` : `满分 ${m.max}`))),
      h('th', {}, '总分'), h('th', {}, '奖项'), h('th', {}, '备注'));
    const rows = r.results.map((x) => {
      const remark = x.status !== 'competed' ? STATUS_NAMES[x.status] || x.status : provisional && !x.complete ? '未评完' : '';
      return h('tr', { class: x.award ? `award-${x.award}` : '' },
        h('td', { class: 'num' }, x.rank ?? ''), h('td', {}, x.reg_id),
        h('td', { class: 'name' }, x.name, x.members ? h('small', {}, `（${x.members.split(';').join('、')}）`) : null),
        h('td', {}, x.organization),
        x.modules.map((v) => h('td', { class: 'num' }, v ?? '')),
        h('td', { class: 'num total' }, x.total ?? ''),
        h('td', { class: 'award' }, x.award ? AWARD_NAMES[x.award] : ''),
        h('td', { class: 'remark' }, remark));
    });
    document.body.classList.toggle('print-wide', r.modules.length > 3);
    fill(doc,
      h('h1', {}, provisional ? '成绩表（临时）' : '成绩表'),
      provisional ? h('p', { class: 'provisional-mark' }, '临时成绩 · 尚未锁定 · 不得公布') : null,
      h('table', { class: 'print-meta' }, h('tbody', {},
        h('tr', {}, h('th', {}, '赛项'), h('td', {}, `${r.event} ${r.name}`), h('th', {}, '状态'),
          h('td', {}, STATE_NAMES[r.state] || r.state)),
        h('tr', {}, h('th', {}, '获奖名次'), h('td', {}, `${tiers(r.cutoffs)}（排名选手 ${r.n_ranked} 名）`),
        h('th', {}, '打印时间'), h('td', {}, fullTime())))),
      h('table', { class: 'print-grid results' }, h('thead', {}, head), h('tbody', {}, rows)));
  }

  function load(notice) {
    api.results(event).then((r) => {
      if (alive) show(r, notice);
    }).catch((err) => {
      if (alive) status.textContent = `无法读取成绩：${err.message}`;
    });
  }
  load();
  return () => {
    alive = false;
    document.body.classList.remove('print-wide');
  };
}
