// #/login: a judge (or a chief judge) logs in with the judge code and PIN
// given by the organizers; #/login/organizer: an organizer with the account
// name and its secret. Marks still waiting on this terminal are shown, so
// that the judge they belong to logs in again to send them.

import { api, ApiError, setSession } from './api.js';
import { h } from './ui.js';

export function render(root, [mode], ctx) {
  const organizer = mode === 'organizer';
  const message = h('p', { class: 'form-message', role: 'alert' }, ctx.notice || '');
  ctx.notice = '';
  const tabs = h('nav', { class: 'login-tabs', 'aria-label': '登录方式' },
    h('a', { href: '#/login', class: organizer ? '' : 'active', 'aria-current': organizer ? null : 'page' }, '裁判 / 裁判长'),
    h('a', { href: '#/login/organizer', class: organizer ? 'active' : '', 'aria-current': organizer ? 'page' : null }, '组织方'));
  const button = h('button', { type: 'submit', class: 'primary' }, '登录');
  let form;
  let first;
  let secretInput;
  let submit;

  if (organizer) {
    const name = h('input', { id: 'org-name', name: 'organizer', autocomplete: 'username', spellcheck: 'false',
      required: true, maxlength: 32, placeholder: 'admin' });
    const secret = h('input', { id: 'org-secret', name: 'secret', type: 'password', autocomplete: 'current-password',
      required: true, maxlength: 128 });
    form = h('form', { class: 'card login', novalidate: true }, tabs,
      h('h1', {}, '组织方登录'),
      h('label', { for: 'org-name' }, '账户名'), name,
      h('label', { for: 'org-secret' }, '密钥'), secret,
      button, message,
      h('p', { class: 'note' }, '首次启动时的账户为 admin，密钥在服务器上的 数据库名.admin-secret 文件中；其他组织方账户用 judge-cli organizer add 创建。'));
    first = name;
    secretInput = secret;
    submit = async () => {
      const account = name.value.trim() || 'admin';
      if (!secret.value) return '请输入密钥';
      const answer = await api.loginOrganizer(account, secret.value.trim());
      setSession({ token: answer.token, role: answer.role, organizer: answer.organizer, expires_at: answer.expires_at });
      ctx.queue.setJudge(null);
      return null;
    };
  } else {
    const code = h('input', { id: 'judge-code', name: 'judge', autocomplete: 'username', autocapitalize: 'characters',
      spellcheck: 'false', required: true, maxlength: 32 });
    const pin = h('input', { id: 'judge-pin', name: 'pin', type: 'password', autocomplete: 'current-password',
      inputmode: 'numeric', required: true, maxlength: 32 });
    const waiting = new Map();
    for (const i of ctx.queue.items()) waiting.set(i.judge, (waiting.get(i.judge) || 0) + 1);
    const waitingNote = waiting.size
      ? h('p', { class: 'note warn' }, '本机有尚未发送的分数：',
        [...waiting].map(([j, n]) => `${j} ${n} 条`).join('，'), '。请该裁判登录，分数将自动发送。')
      : null;
    form = h('form', { class: 'card login', novalidate: true }, tabs,
      h('h1', {}, '裁判登录'),
      h('label', { for: 'judge-code' }, '裁判编号'), code,
      h('label', { for: 'judge-pin' }, '密码（PIN）'), pin,
      button, message, waitingNote,
      h('p', { class: 'note' }, '编号和密码由赛项组织方发放。评分表只显示选手加密号。裁判长同样用裁判编号和密码登录。'),
      h('p', { class: 'note small', id: 'offline-state' }, `离线重新载入：${ctx.swState}`));
    first = code;
    secretInput = pin;
    submit = async () => {
      const judge = code.value.trim();
      if (!judge || !pin.value) return '请输入裁判编号和密码';
      const answer = await api.loginJudge(judge, pin.value);
      setSession({ token: answer.token, role: answer.role, judge: answer.judge, expires_at: answer.expires_at });
      ctx.queue.setJudge(answer.judge);
      return null;
    };
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    message.textContent = '正在登录…';
    try {
      const problem = await submit();
      if (problem) {
        message.textContent = problem;
        return;
      }
      ctx.stayOnEvents = false;
      ctx.navigate('#/events');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401)
        message.textContent = organizer ? `账户名或密钥不正确${/disabled/.test(err.message) ? '（该账户已停用）' : ''}` : '裁判编号或密码不正确';
      else if (err instanceof ApiError && err.status === 429)
        message.textContent = `尝试次数过多，请 ${Math.ceil((err.retryAfter || 60) / 60)} 分钟后再试`;
      else if (err instanceof ApiError) message.textContent = `登录失败：${err.message}`;
      else message.textContent = '无法连接服务器，请检查网络后重试';
      secretInput.value = '';
      secretInput.focus();
    } finally {
      button.disabled = false;
    }
  });
  root.append(form);
  first.focus();
}
