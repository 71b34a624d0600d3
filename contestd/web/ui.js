// Small DOM helpers shared by the views: building elements (text only, never
// HTML strings), a confirmation dialog, and the Chinese names of states and
// roles.

// h('td', {class: 'x', dataset: {row: 1}, onclick: f}, child, 'text', ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// Replaces el's children as h() builds them (null, undefined and false are
// left out, arrays flattened, strings become text).
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const STATE_NAMES = {
  setup: '准备中',
  drawn: '评分中',
  locked: '已锁定',
  published: '已公示',
  final: '已确认',
};

export const ROLE_NAMES = { judge: '裁判员', chief: '裁判长', organizer: '组织方', admin: '组织方' };

// A modal question. Resolves true (Enter or the OK button) or false (Esc or
// cancel). Focus returns to where it was.
export function confirmDialog({ title, message, ok = '确定', cancel = '取消' }) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const okButton = h('button', { type: 'button', class: 'primary' }, ok);
    const cancelButton = h('button', { type: 'button' }, cancel);
    const box = h('div', { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title),
      h('p', {}, message),
      h('div', { class: 'dialog-buttons' }, cancelButton, okButton));
    const backdrop = h('div', { class: 'backdrop' }, box);
    const done = (answer) => {
      backdrop.remove();
      document.removeEventListener('keydown', onKey, true);
      if (before && before.isConnected) before.focus();
      resolve(answer);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        done(false);
      } else if (e.key === 'Enter') {
        e.preventDefault();
        done(document.activeElement !== cancelButton);
      } else if (e.key === 'Tab') {
        e.preventDefault();
        (document.activeElement === okButton ? cancelButton : okButton).focus();
      }
    };
    okButton.addEventListener('click', () => done(true));
    cancelButton.addEventListener('click', () => done(false));
    document.addEventListener('keydown', onKey, true);
    document.body.append(backdrop);
    okButton.focus();
  });
}

// "2026-11-23T09:05:00Z" -> "11-23 17:05" in the terminal's local time.
export function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fullTime(d = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
