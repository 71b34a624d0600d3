// #/chief/EVENT: the chief judge's console (also open to organizers). Who
// still owes what (judges x criteria), the contestants still incomplete,
// the discrepancies with every value and the judge who gave it, accepting
// one with a reason (and for a measurement or deduction the value that
// stands), the lock (with the server's refusal shown readably), and how
// each judge scores compared with the panel (an SVG chart drawn here).
// It polls the progress with If-None-Match: an unchanged event costs a 304
// and no computation on the server; polling pauses while the tab is hidden.
// Before the lock a chief judge gets anonymous codes only (the server sees
// to it); names appear only where the server sends them (after the lock,
// or to an organizer).

import { api, ApiError, getSession, NetworkError } from './api.js';
import { judgeBiasChart } from './chart.js';
import { checkMark, formatMark, hundredths, METHOD_NAMES } from './marks.js';
import { Poller } from './poll.js';
import { confirmDialog, fill, h, STATE_NAMES } from './ui.js';

export const POLL_MS = 5000;
// Criteria every judge owes a value on (measurement: one value of anyone;
// deduction: none needed).
const OWED = new Set(['mean', 'trimmed', 'median', 'judgement']);
const TAKES_VALUE = new Set(['measurement', 'deduction']);

const clock = (d) => d.toLocaleTimeString('zh-CN', { hour12: false });

// "CODE", or after the lock / for an organizer "CODE（REG_ID NAME）".
function who(c) {
  return c.name ? `${c.code}（${c.reg_id} ${c.name}）` : c.code;
}

// "judge:J09" -> "裁判长 J09", "organizer:zhang" -> "组织方 zhang" (who may
// accept a discrepancy).
function actorName(actor) {
  const [kind, name] = actor.split(':');
  return kind === 'judge' ? `裁判长 ${name}` : kind === 'organizer' ? `组织方 ${name}` : actor;
}

function missingText(byCriterion) {
  return Object.entries(byCriterion).map(([k, n]) => `${k} 缺 ${n}`).join('，');
}

export function render(root, [event], ctx) {
  const s = getSession();
  const title = h('h1', {}, `${event} · 裁判长控制台`);
  const stateChip = h('span', { class: 'chip' });
  const refreshed = h('span', { class: 'refreshed', id: 'last-refresh', role: 'status' }, '正在读取…');
  const refreshButton = h('button', { type: 'button' }, '立即刷新');
  const lockButton = h('button', { type: 'button', class: 'primary', id: 'lock-event', hidden: true }, '锁定赛项');
  const back = h('a', { href: '#/events', class: 'button' }, s.role === 'organizer' ? '赛项一览' : '我的赛项');
  // an organizer's corrections (unlock) start from the results
  const results = s.role === 'organizer'
    ? h('a', { href: `#/results/${encodeURIComponent(event)}`, class: 'button' }, '成绩') : null;
  const banner = h('p', { class: 'banner', hidden: true });
  const messageBox = h('div', { class: 'console-message', id: 'console-message', hidden: true, role: 'alert' });
  const summary = h('div', { class: 'summary', id: 'summary' });
  const matrix = h('div', { class: 'table-wrap', id: 'progress-matrix' });
  const incomplete = h('div', { class: 'table-wrap', id: 'incomplete' });
  const discrepancies = h('div', { class: 'disc-list', id: 'discrepancies' });
  const chart = h('div', { class: 'chart-wrap', id: 'judge-chart' });
  const statsTable = h('div', { class: 'table-wrap', id: 'judge-stats' });
  const discCount = h('span', { class: 'count' });
  const incompleteCount = h('span', { class: 'count' });

  root.append(h('section', { class: 'console' },
    h('div', { class: 'console-head' }, title, stateChip,
      h('nav', { class: 'console-nav' }, refreshed, refreshButton, lockButton, results, back)),
    banner, messageBox, summary,
    h('div', { class: 'console-grid' },
      h('section', { class: 'panel' }, h('h2', {}, '评分进度：各裁判缺少的分数'),
        h('p', { class: 'note small' }, '每格为该裁判在该评分项上还缺的分数个数；测量项只需任一裁判录入，扣分项无需录入。'),
        matrix),
      h('section', { class: 'panel' }, h('h2', {}, '未完成的选手 ', incompleteCount), incomplete)),
    h('section', { class: 'panel' }, h('h2', {}, '分歧 ', discCount),
      h('p', { class: 'note small' }, '分歧须由裁判修改分数，或由裁判长说明理由后接受；有未处理的分歧时不能锁定。'),
      discrepancies),
    h('section', { class: 'panel' }, h('h2', {}, '裁判评分统计'),
      h('p', { class: 'note small' }, '偏高/偏低：该裁判的分数高于/低于其他所有裁判的次数；平均偏差：与其他裁判平均值之差的平均（分）。'),
      chart, statsTable)));

  let alive = true;
  let info = null;          // the event with its criteria (descriptions)
  let progress = null;
  let progressTag = null;
  let stats = null;
  let statsTag = null;
  const forms = new Map();  // "code\ncriterion" -> an accept form being filled in
  let refusedAt = null;     // data_version of a lock refusal on show

  const criteria = () => {
    if (info) return info.modules.flatMap((m) => m.criteria.map((c) => ({ ...c, module: m.code })));
    return stats ? stats.criteria.map((c) => ({ ...c, description: '' })) : [];
  };
  const criterion = (code) => criteria().find((c) => c.code === code) || { code, description: '', method: '', max: '' };

  function showState() {
    const state = progress.state;
    title.textContent = `${progress.event} ${progress.name} · 裁判长控制台`;
    stateChip.textContent = STATE_NAMES[state] || state;
    stateChip.className = `chip state-${state}`;
    lockButton.hidden = state !== 'drawn';
    if (state === 'drawn') banner.hidden = true;
    else {
      banner.hidden = false;
      banner.className = `banner${state === 'setup' ? '' : ' ok'}`;
      banner.textContent = state === 'setup' ? '本赛项尚未抽签，还没有开始评分。'
        : `本赛项${STATE_NAMES[state] || state}：分数不能再修改；如需更正，由组织方在成绩页解锁。`;
    }
  }

  function showSummary() {
    const m = progress.summary;
    const item = (label, value, bad) => h('div', { class: `figure${bad ? ' is-bad' : ''}` },
      h('span', { class: 'figure-value' }, value), h('span', { class: 'figure-label' }, label));
    fill(summary,
      item('名选手已评完', `${m.complete} / ${m.competed}`, m.complete < m.competed),
      item('个分数已录入', `${m.entered} / ${m.required}`, m.missing > 0),
      item('个分歧待处理', `${m.open_discrepancies}`, m.open_discrepancies > 0),
      h('meter', { min: 0, max: Math.max(1, m.required), value: m.entered, title: `已录入 ${m.entered} / ${m.required}` }));
  }

  function showMatrix() {
    const owed = criteria().filter((c) => OWED.has(c.method));
    const head = h('tr', {}, h('th', {}, '裁判'),
      owed.map((c) => h('th', { title: c.description }, c.code, h('small', {}, c.description))),
      h('th', {}, '已录入 / 应录入'), h('th', {}, '缺'));
    const rows = progress.judges.map((j) => {
      if (j.withdrawn)
        return h('tr', { class: 'withdrawn' }, h('th', {}, `${j.code} ${j.name}`),
          h('td', { colspan: owed.length + 2 }, '已退出本赛项（分数不再计入）'));
      return h('tr', { dataset: { judge: j.code } }, h('th', {}, `${j.code} ${j.name}`),
        owed.map((c) => {
          const n = j.missing_by_criterion[c.code] || 0;
          return h('td', { class: n ? 'missing' : 'done', dataset: { criterion: c.code } }, n ? `缺 ${n}` : '✓');
        }),
        h('td', { class: 'num' }, `${j.entered} / ${j.required}`),
        h('td', { class: `num${j.missing ? ' missing' : ' done'}` }, String(j.missing)));
    });
    fill(matrix, progress.judges.length
      ? h('table', { class: 'matrix' }, h('thead', {}, head), h('tbody', {}, rows))
      : h('p', { class: 'note' }, '本赛项没有评分裁判。'));
  }

  function showIncomplete() {
    const list = progress.contestants;
    incompleteCount.textContent = `${list.length}`;
    if (!list.length) {
      fill(incomplete, h('p', { class: 'note ok' },
        progress.summary.competed ? '所有参赛选手的分数都已录齐。' : '还没有参赛选手。'));
      return;
    }
    fill(incomplete, h('table', { class: 'codes' },
      h('thead', {}, h('tr', {}, h('th', {}, '加密号'), h('th', {}, '缺少的分数'))),
      h('tbody', {}, list.map((c) => h('tr', { dataset: { code: c.code } },
        h('th', { class: 'code' }, who(c)), h('td', {}, missingText(c.missing_by_criterion)))))));
  }

  async function accept(d, form) {
    const crit = criterion(d.criterion);
    const reason = form.reason.value.trim();
    const body = { contestant: d.code, criterion: d.criterion, reason };
    if (!reason) {
      form.message.textContent = '请填写接受的理由（记入审计记录）';
      form.reason.focus();
      return;
    }
    if (TAKES_VALUE.has(d.method)) {
      const chk = checkMark(form.value.value, crit);
      if (!chk.ok) {
        form.message.textContent = chk.empty ? '请选择或输入成立的分数' : chk.message;
        form.value.focus();
        return;
      }
      body.value = chk.value;
    }
    form.submit.disabled = true;
    form.message.textContent = '正在提交…';
    try {
      await api.accept(event, body);
      forms.delete(`${d.code}\n${d.criterion}`);
      say(`已接受 ${d.code} 的 ${d.criterion} 分歧${body.value ? `，成立分数 ${body.value}` : ''}。`);
      poller.now();
    } catch (err) {
      form.message.textContent = err instanceof ApiError ? `服务器拒绝：${err.message}` : '无法连接服务器，请稍后再试';
    } finally {
      form.submit.disabled = false;
    }
  }

  // The form accepting discrepancy d; kept across refreshes while open.
  function acceptForm(d) {
    const key = `${d.code}\n${d.criterion}`;
    if (forms.has(key)) return forms.get(key).el;
    const form = {};
    form.reason = h('input', { class: 'reason', maxlength: 500, placeholder: '如：现场复核，确认评分合理', 'aria-label': '接受理由' });
    form.message = h('p', { class: 'form-message', role: 'alert' });
    form.submit = h('button', { type: 'submit', class: 'primary' }, '确认接受');
    let valueRow = null;
    if (TAKES_VALUE.has(d.method)) {
      form.value = h('input', { class: 'value', inputmode: 'decimal', maxlength: 12, placeholder: '其他', 'aria-label': '成立的分数' });
      const distinct = [...new Set(d.values.map((v) => v.value))];
      valueRow = h('div', { class: 'accept-value' }, h('span', {}, d.method === 'deduction' ? '成立的扣分：' : '成立的分数：'),
        distinct.map((v) => h('button', { type: 'button', class: 'pick', onclick: () => { form.value.value = v; form.message.textContent = ''; form.reason.focus(); } }, v)),
        form.value);
    }
    const cancel = h('button', { type: 'button', onclick: () => { forms.delete(key); showDiscrepancies(); } }, '取消');
    form.el = h('form', { class: 'accept-form', novalidate: true }, valueRow,
      h('label', {}, '理由：', form.reason), h('div', { class: 'buttons' }, cancel, form.submit), form.message);
    form.el.addEventListener('input', () => { form.message.textContent = ''; });
    form.el.addEventListener('submit', (e) => {
      e.preventDefault();
      accept(d, form);
    });
    forms.set(key, form);
    return form.el;
  }

  function showDiscrepancies() {
    const list = [...progress.discrepancies].sort((a, b) => Number(a.accepted) - Number(b.accepted));
    const open = list.filter((d) => !d.accepted).length;
    discCount.textContent = list.length ? `${open} 待处理 / 共 ${list.length}` : '0';
    const drawn = progress.state === 'drawn';
    const names = new Map(progress.judges.map((j) => [j.code, j.name]));
    const cards = list.map((d) => {
      const crit = criterion(d.criterion);
      const key = `${d.code}\n${d.criterion}`;
      const spread = formatMark(hundredths(d.high) - hundredths(d.low));
      const values = h('ul', { class: 'values' }, d.values.map((v) => h('li', {},
        h('span', { class: 'judge' }, `${v.judge} ${names.get(v.judge) || ''}`), h('b', {}, v.value))));
      let footer;
      if (d.accepted) {
        footer = h('p', { class: 'accepted' }, '已接受',
          d.accepted_value ? `，成立分数 ${d.accepted_value}` : '', `。理由：${d.reason || ''}`,
          d.accepted_by ? `（${actorName(d.accepted_by)}）` : '');
      } else if (forms.has(key) && drawn) {
        footer = acceptForm(d);
      } else {
        footer = drawn ? h('button', { type: 'button', class: 'accept', onclick: () => {
          acceptForm(d);
          showDiscrepancies();
          forms.get(key).reason.focus();
        } }, '接受此分歧…') : null;
      }
      return h('article', { class: `disc${d.accepted ? ' is-accepted' : ' is-open'}`, dataset: { code: d.code, criterion: d.criterion } },
        h('header', {}, h('b', { class: 'code' }, who(d)), ' · ', h('b', {}, d.criterion), ` ${crit.description || ''}`,
          h('span', { class: `chip ${d.accepted ? 'ok' : 'bad'}` }, d.accepted ? '已接受' : '待处理')),
        h('p', { class: 'note small' }, `${METHOD_NAMES[d.method] || d.method}`, crit.max ? `，满分 ${crit.max}` : '',
          `，最低 ${d.low}，最高 ${d.high}，相差 ${spread}`),
        values, footer);
    });
    // drop forms of discrepancies that are gone (a judge revised a value)
    for (const key of forms.keys())
      if (!list.some((d) => !d.accepted && `${d.code}\n${d.criterion}` === key)) forms.delete(key);
    const focused = document.activeElement;
    fill(discrepancies, cards.length ? cards : h('p', { class: 'note ok' }, '没有分歧。'));
    if (focused && focused.isConnected && discrepancies.contains(focused)) focused.focus();
  }

  function showStats() {
    if (!stats) return;
    fill(chart, judgeBiasChart(stats.judges, Math.min(chart.clientWidth || 640, 736)));
    const crits = stats.criteria.filter((c) => c.method !== 'deduction');
    const head = h('tr', {}, h('th', {}, '裁判'), h('th', {}, '分数'), h('th', {}, '可比较'), h('th', {}, '偏高'),
      h('th', {}, '偏低'), h('th', {}, '分歧'), crits.map((c) => h('th', {}, `${c.code} 平均偏差`)));
    const rows = stats.judges.map((j) => {
      const dev = new Map(j.criteria.map((c) => [c.criterion, c.mean_deviation]));
      return h('tr', {}, h('th', {}, `${j.code} ${j.name}`),
        [j.n_values, j.compared, j.highest, j.lowest, j.discrepancies].map((n) => h('td', { class: 'num' }, String(n))),
        crits.map((c) => h('td', { class: 'num' }, dev.get(c.code) ?? '—')));
    });
    fill(statsTable, stats.judges.length
      ? h('table', { class: 'stats' }, h('thead', {}, head), h('tbody', {}, rows)) : '');
  }

  function say(text, kind = '') {
    refusedAt = null;
    messageBox.hidden = false;
    messageBox.className = `console-message ${kind}`;
    fill(messageBox, h('p', {}, text));
  }

  // The server's 409 to a lock, in words: what is missing, which
  // discrepancies are open.
  function showRefusal(err) {
    const b = err.body && err.body.error && err.body.error.blockers;
    refusedAt = progress ? progress.data_version : null;
    messageBox.hidden = false;
    messageBox.className = 'console-message error';
    if (!b) {
      fill(messageBox, h('p', {}, h('b', {}, '无法锁定：'), err.message));
      return;
    }
    const parts = [];
    if (b.n_missing) parts.push(`还有 ${b.n_missing} 个分数未录入（${b.n_incomplete} 名选手未评完）`);
    if (b.n_open_discrepancies) parts.push(`${b.n_open_discrepancies} 个分歧未处理`);
    const byCode = new Map();
    for (const m of b.missing || []) {
      const c = m.code || m.contestant;
      if (!byCode.has(c)) byCode.set(c, {});
      byCode.get(c)[m.criterion] = m.values ?? 1;
    }
    const more = (shown, total) => (total > shown ? h('li', { class: 'note' }, `……（共 ${total} 项，仅列出 ${shown} 项）`) : null);
    fill(messageBox,
      h('p', {}, h('b', {}, '无法锁定：'), `${parts.join('；')}。`),
      byCode.size ? h('div', {}, h('h3', {}, '未评完'), h('ul', {},
        [...byCode].map(([c, m]) => h('li', {}, h('span', { class: 'code' }, c), `：${missingText(m)}`)),
        more((b.missing || []).length, b.n_missing))) : null,
      (b.discrepancies || []).length ? h('div', {}, h('h3', {}, '未处理的分歧'), h('ul', {},
        b.discrepancies.map((d) => h('li', {}, h('span', { class: 'code' }, d.code), ` · ${d.criterion}：${d.low} – ${d.high}`)),
        more(b.discrepancies.length, b.n_open_discrepancies))) : null,
      h('p', { class: 'note small' }, `服务器：${err.message}`));
  }

  async function lock() {
    const ok = await confirmDialog({
      title: '锁定赛项',
      message: `锁定后 ${event} 的分数不能再录入或修改，成绩随之确定；更正需由组织方解锁。确定锁定？`,
      ok: '锁定',
      cancel: '不锁定',
    });
    if (!ok) return;
    lockButton.disabled = true;
    try {
      await api.lock(event);
      say(`${event} 已锁定。`, 'ok');
      poller.now();
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) showRefusal(err);
      else if (err instanceof ApiError) say(`无法锁定：${err.message}`, 'error');
      else say('无法连接服务器，未能锁定，请稍后再试。', 'error');
    } finally {
      lockButton.disabled = false;
    }
  }

  let lastGood = null;
  function showRefreshed(extra = '') {
    refreshed.textContent = lastGood ? `最后刷新 ${clock(lastGood)}${extra}` : extra;
  }

  async function round() {
    if (!info) info = await api.event(event).catch(() => null);
    const p = await api.progress(event, progressTag);
    if (!alive) return;
    lastGood = new Date();
    if (!p.notModified) {
      progress = p.data;
      progressTag = p.etag;
      // a lock refusal is about the data it was given for
      if (refusedAt !== null && refusedAt !== progress.data_version) {
        refusedAt = null;
        messageBox.hidden = true;
      }
      const st = await api.judgeStats(event, statsTag);
      if (!alive) return;
      if (!st.notModified) {
        stats = st.data;
        statsTag = st.etag;
      }
      showState();
      showSummary();
      showMatrix();
      showIncomplete();
      showDiscrepancies();
      showStats();
    }
    showRefreshed();
  }

  const poller = new Poller({
    intervalMs: POLL_MS,
    run: round,
    onError: (err) => {
      if (!alive) return;
      if (err instanceof NetworkError) showRefreshed(progress ? '；未连接服务器，显示的是此前的数据' : '；未连接服务器');
      else if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
        poller.stop();
        refreshed.textContent = '';
        banner.hidden = false;
        banner.textContent = err.status === 403 ? `您不是 ${event} 的裁判长，不能查看此控制台。` : `没有赛项 ${event}。`;
      } else showRefreshed(`；刷新失败：${err.message}`);
    },
    onPause: (paused) => showRefreshed(paused ? '（页面在后台，已暂停刷新）' : ''),
  });
  refreshButton.addEventListener('click', () => poller.now());
  lockButton.addEventListener('click', lock);
  poller.start();
  return () => {
    alive = false;
    poller.stop();
  };
}
