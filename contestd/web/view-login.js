// #/login: a judge logs in with the judge code and PIN given by the
// organizers. Marks still waiting on this terminal are shown, so that the
// judge they belong to logs in again to send them.

import { api, ApiError, setSession } from './api.js';
import { h } from './ui.js';

export function render(root, _params, ctx) {
  const code = h('input', { id: 'judge-code', name: 'judge', autocomplete: 'username', autocapitalize: 'characters',
    spellcheck: 'false', required: true, maxlength: 32 });
  const pin = h('input', { id: 'judge-pin', name: 'pin', type: 'password', autocomplete: 'current-password',
    inputmode: 'numeric', required: true, maxlength: 32 });
  const button = h('button', { type: 'submit', class: 'primary' }, '登录');
  const message = h('p', { class: 'form-message', role: 'alert' }, ctx.notice || '');
  ctx.notice = '';

  const waiting = new Map();
  for (const i of ctx.queue.items()) waiting.set(i.judge, (waiting.get(i.judge) || 0) + 1);
  const waitingNote = waiting.size
    ? h('p', { class: 'note warn' }, '本机有尚未发送的分数：',
      [...waiting].map(([j, n]) => `${j} ${n} 条`).join('，'), '。请该裁判登录，分数将自动发送。')
    : null;

  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', {}, '裁判登录'),
    h('label', { for: 'judge-code' }, '裁判编号'), code,
    h('label', { for: 'judge-pin' }, '密码（PIN）'), pin,
    button, message, waitingNote,
    h('p', { class: 'note' }, '编号和密码由赛项组织方发放。评分表只显示选手加密号。'),
    h('p', { class: 'note small', id: 'offline-state' }, `离线重新载入：${ctx.swState}`));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const judge = code.value.trim();
    if (!judge || !pin.value) {
      message.textContent = '请输入裁判编号和密码';
      return;
    }
    button.disabled = true;
    message.textContent = '正在登录…';
    try {
      const answer = await api.loginJudge(judge, pin.value);
      setSession({ token: answer.token, role: answer.role, judge: answer.judge, expires_at: answer.expires_at });
      ctx.queue.setJudge(answer.judge);
      ctx.stayOnEvents = false;
      ctx.navigate('#/events');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) message.textContent = '裁判编号或密码不正确';
      else if (err instanceof ApiError && err.status === 429)
        message.textContent = `尝试次数过多，请 ${Math.ceil((err.retryAfter || 60) / 60)} 分钟后再试`;
      else if (err instanceof ApiError) message.textContent = `登录失败：${err.message}`;
      else message.textContent = '无法连接服务器，请检查网络后重试';
      pin.value = '';
      pin.focus();
    } finally {
      button.disabled = false;
    }
  });
  root.append(form);
  code.focus();
}
