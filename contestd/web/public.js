// The public pages, for anyone with a browser or a phone: the list of
// published results (/results), an event's published results with every
// version and what each correction changed, printable as the 成绩公示表
// (/results/EVENT[?version=N]), and certificate verification (/v/PAYLOAD, the
// target of a certificate's QR code, /V/PAYLOAD alike, and /v to type an
// id). The same page works from contestd (data-source="api": its public API)
// and from a static copy written by judge-cli export-public
// (data-source="static": the files under data/, verification by comparing
// the QR code with the issuer's record of the certificate).

import { h } from './ui.js';

const STATIC = document.documentElement.dataset.source === 'static';
const view = document.getElementById('view');
const enc = encodeURIComponent;

const STATE = { published: '公示中', final: '已确认', correcting: '更正中' };
const STATUS = { registered: '未参赛', competed: '', absent: '缺考', withdrawn: '弃权', disqualified: '取消资格' };

// "2026-05-20T09:00:00Z" -> "2026-05-20 17:00" in the reader's time zone.
function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// GET url (relative to the page's <base>): {status, body}; status 0 when
// the server could not be reached.
async function get(url) {
  try {
    const res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    return { status: res.status, body };
  } catch {
    return { status: 0, body: null };
  }
}

const data = {
  events: () => get(STATIC ? 'data/events.json' : 'api/v1/public/events'),
  results: (event, version) => get(STATIC ? `data/events/${enc(event)}/v${version}.json`
    : `api/v1/public/events/${enc(event)}/results?version=${version}`),
  verify: (text) => (STATIC ? verifyStatic(text) : get(`api/v1/verify/${enc(text)}`)),
};

function page(...children) {
  const card = h('section', { class: 'public-card' }, ...children);
  view.replaceChildren(card);
  return card;
}

function problem(status, body, what) {
  if (status === 0) return `无法连接服务器，请稍后再试（${what}）。`;
  if (status === 404) return `未找到${what}。`;
  if (status === 429) return '访问过于频繁，请稍后再试。';
  return (body && body.error && body.error.message) || `读取${what}失败（HTTP ${status}）。`;
}

// ---- /results ----

async function showList() {
  document.title = '成绩公示';
  const status = h('p', { class: 'note' }, '正在读取…');
  const list = h('div', { class: 'event-list' });
  page(h('h1', {}, '成绩公示'), status, list);
  const { status: code, body } = await data.events();
  if (code !== 200) {
    status.textContent = problem(code, body, '成绩公示');
    return;
  }
  document.title = `成绩公示 · ${body.contest.name}`;
  document.getElementById('brand').textContent = `${body.contest.name} · 成绩公示`;
  status.textContent = body.events.length ? `${body.contest.name}：已公示 ${body.events.length} 个赛项的成绩。`
    : '还没有公示的成绩。';
  for (const e of body.events) {
    const meta = [`第 ${e.version} 版`, `公布于 ${when(e.published_at)}`];
    if (e.notice_until && e.state === 'published') meta.push(`公示期至 ${when(e.notice_until)}`);
    if (e.finalized_at) meta.push(`确认于 ${when(e.finalized_at)}`);
    list.append(h('a', { class: 'event', href: `results/${enc(e.code)}` },
      h('span', { class: 'title' }, h('b', {}, e.code), ' ', e.name,
        h('span', { class: `badge ${e.state}` }, STATE[e.state] || e.state)),
      h('span', { class: 'meta' }, meta.join(' · ')),
      h('span', { class: 'go' }, '查看 →')));
  }
}

// ---- /results/EVENT ----

function standing(s) {
  if (!s) return '—';
  if (s.status !== 'competed') return STATUS[s.status] || s.status;
  return `第${s.rank}名 ${s.total}${s.award_name ? ` ${s.award_name}` : ''}`;
}

function correctionBox(doc) {
  const c = doc.correction;
  const rows = c.changes.map((x) => h('tr', {}, h('td', { class: 'who' }, x.name, h('small', {}, x.organization)),
    h('td', { class: 'moved' }, h('span', {}, standing(x.before)), ' → ', h('span', {}, standing(x.after)))));
  return h('div', { class: 'correction', role: 'note' },
    h('h2', {}, `更正公告：本版（第 ${doc.version} 版）更正了第 ${c.previous} 版`),
    h('p', {}, `更正原因：${c.reason || '未说明'}`),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '姓名（单位）'),
      h('th', {}, '变动（原 → 新）'))), h('tbody', {}, rows))
      : h('p', {}, '名次、总分与奖项没有变动。'));
}

function resultsTable(doc) {
  const teams = doc.results.some((r) => r.members);
  const head = h('tr', {}, h('th', { class: 'num' }, '名次'), h('th', {}, '姓名'), h('th', {}, '单位'),
    teams ? h('th', {}, '成员') : null,
    doc.modules.map((m) => h('th', { class: 'num module', title: m.name }, `${m.code} ${m.name}`)),
    h('th', { class: 'num' }, '总分'), h('th', {}, '奖项'));
  const rows = doc.results.map((r) => h('tr', { class: r.rank ? (r.award ? `award-${r.award}` : '') : 'unranked' },
    h('td', { class: 'num' }, r.rank ?? ''),
    h('td', {}, r.name),
    h('td', {}, r.organization),
    teams ? h('td', { class: 'members' }, r.members ? r.members.join('、') : '') : null,
    r.modules.map((m) => h('td', { class: 'num module' }, m ?? '')),
    h('td', { class: 'num' }, r.total ?? STATUS[r.status] ?? r.status),
    h('td', { class: 'award' }, r.award_name || '')));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'results' }, h('thead', {}, head), h('tbody', {}, rows)));
}

async function showEvent(event, asked) {
  document.title = `${event} 成绩公示`;
  const status = h('p', { class: 'note' }, '正在读取…');
  page(h('h1', {}, `${event} 成绩公示表`), status);
  const list = await data.events();
  const info = list.status === 200 ? list.body.events.find((e) => e.code === event) : null;
  if (!info) {
    status.textContent = list.status === 200 ? `赛项 ${event} 没有公示的成绩。` : problem(list.status, list.body, '成绩公示');
    return;
  }
  const version = asked || info.version;
  const { status: code, body: doc } = await data.results(event, version);
  if (code !== 200) {
    status.textContent = problem(code, doc, `${event} 第 ${version} 版成绩`);
    return;
  }
  const contest = list.body.contest;
  document.title = `${doc.event.name} 成绩公示表 · ${contest.name}`;
  document.getElementById('brand').textContent = `${contest.name} · 成绩公示`;
  const latest = doc.version === info.version;
  const meta = [`第 ${doc.version} 版`, `公布于 ${when(doc.published_at)}`];
  if (doc.notice_until) meta.push(`公示期至 ${when(doc.notice_until)}`);
  const versions = [];
  for (let v = 1; v <= info.version; v++) {
    versions.push(v === doc.version ? h('span', { class: 'current' }, `第 ${v} 版`)
      : h('a', { href: `results/${enc(event)}?version=${v}` }, `第 ${v} 版`));
  }
  let state = info.state;
  let note = '';
  if (!latest) {
    state = 'correcting';
    note = `这是第 ${doc.version} 版，已被第 ${info.version} 版更正，以最新版为准。`;
  } else if (info.state === 'final') {
    note = `成绩已确认为最终成绩（${when(info.finalized_at)}）。`;
  } else if (info.state === 'correcting') {
    note = '本赛项成绩正在更正，更正后将公布新版本；在此之前以本版为准。';
  } else if (doc.notice_until) {
    note = `公示期内（至 ${when(doc.notice_until)}）如有异议，请向组织方提出申诉。`;
  }
  page(
    h('h1', {}, `${doc.event.name}（${doc.event.code}）成绩公示表`),
    h('p', { class: 'subtitle' }, contest.name),
    h('p', { class: 'meta-line' }, h('span', { class: `badge ${state}` }, latest ? STATE[info.state] : '已被更正'), ' ',
      meta.join(' · ')),
    note ? h('p', { class: 'meta-line note' }, note) : null,
    info.version > 1 ? h('nav', { class: 'versions', 'aria-label': '版本' }, '版本：', versions) : null,
    doc.correction ? correctionBox(doc) : null,
    h('div', { class: 'tools' },
      h('button', { type: 'button', class: 'primary', id: 'print', onclick: () => window.print() }, '打印成绩公示表'),
      h('a', { class: 'button', href: 'results' }, '全部赛项')),
    resultsTable(doc),
    h('p', { class: 'note' }, `共 ${doc.results.length} 名（队），参与排名 ${doc.n_ranked} 名（队）。`),
    h('div', { class: 'signature print-only' },
      h('span', {}, '公示单位（盖章）：', h('span', { class: 'line' })),
      h('span', {}, '日期：', h('span', { class: 'line short' }))));
}

// ---- /v: certificate verification ----

const VERDICT = {
  genuine: ['真实有效', '这是本大赛颁发的证书，信息如下。'],
  revoked: ['已撤销', '这张证书曾由本大赛颁发，已被撤销，不再有效。'],
  forged: ['伪造或被篡改', '证书信息与签名不符，或二维码已损坏：这不是本大赛颁发的证书。'],
  unknown: ['无此证书', '本大赛没有颁发过这张证书。'],
  mistyped: ['证书编号有误', ''],
};

function fieldsTable(c, revoked) {
  const rows = [
    ['证书编号', h('span', { class: 'cert-id' }, c.id)],
    ['获奖人', h('b', { class: 'holder' }, c.holder)],
    ['单位', c.organization],
    c.team ? ['团体', c.team] : null,
    ['大赛', c.contest.name || c.contest.code],
    ['赛项', `${c.event.name}（${c.event.code}）`],
    ['奖项', h('b', { class: 'award' }, c.award_name)],
    ['名次', `第 ${c.rank} 名`],
    ['总分', c.total],
    ['颁发日期', c.issue_date],
    revoked ? ['撤销日期', when(revoked.at)] : null,
    revoked ? ['撤销原因', revoked.reason] : null,
  ].filter(Boolean);
  return h('table', { class: 'fields' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v)))));
}

function lookupForm(value = '') {
  const input = h('input', { id: 'cert-id', name: 'id', autocomplete: 'off', spellcheck: 'false', value,
    placeholder: '例：7G3K-QX2M-9TAB-4HNC-P', 'aria-label': '证书编号' });
  return h('form', {
    class: 'lookup',
    onsubmit: (e) => {
      e.preventDefault();
      const id = input.value.trim();
      if (id) location.href = new URL(`v/${enc(id)}`, document.baseURI).href;
    },
  }, input, h('button', { type: 'submit', class: 'primary' }, '查询'));
}

function showLookup() {
  document.title = '证书验证';
  page(h('h1', {}, '证书验证'),
    h('p', {}, '用手机扫描证书上的二维码即可验证；也可以输入证书上的证书编号查询。'),
    lookupForm());
}

async function showVerify(text) {
  document.title = '证书验证';
  const status = h('p', { class: 'note' }, '正在验证…');
  page(h('h1', {}, '证书验证'), status);
  const { status: code, body } = await data.verify(text);
  if (code === 400 && body && body.error) {
    page(h('h1', {}, '证书验证'),
      h('div', { class: 'verdict mistyped', id: 'verdict', dataset: { verdict: 'mistyped' } }, VERDICT.mistyped[0],
        h('small', {}, '输入的证书编号有误（校验位不符或字符有误），请逐位核对后重新输入。')),
      lookupForm(text));
    return;
  }
  if (code !== 200 || !body) {
    status.textContent = problem(code, body, '证书');
    return;
  }
  const [title, explain] = VERDICT[body.verdict] || [body.verdict, ''];
  if (body.certificate) document.getElementById('brand').textContent = `${body.certificate.contest.name} · 证书验证`;
  page(h('h1', {}, '证书验证'),
    h('div', { class: `verdict ${body.verdict}`, id: 'verdict', dataset: { verdict: body.verdict } }, title,
      h('small', {}, explain)),
    body.certificate ? fieldsTable(body.certificate, body.revoked) : null,
    h('p', { class: 'note small' }, body.checked === 'payload' ? '已核对二维码中的签名信息。' : '已按证书编号查询。'),
    h('h2', {}, '查询其他证书'), lookupForm());
}

// ---- verification from a static copy (judge-cli export-public) ----

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE41 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-.:';

// Multiplication in GF(32) = GF(2)[x]/(x^5 + x^2 + 1) (docs/CERTIFICATES.md).
function gfMul(a, b) {
  let r = 0;
  for (let i = 0; i < 5; i++) {
    if (b & (1 << i)) r ^= a;
    a <<= 1;
    if (a & 32) a ^= 0b100101;
  }
  return r;
}

// The check symbol of 16 symbol values: sum of x^(i+1) v_i.
function checkSymbol(v) {
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 16; i++) {
    w = gfMul(w, 2);
    sum ^= gfMul(w, v[i]);
  }
  return sum;
}

function formatId(v) {
  const s = v.map((x) => CROCKFORD[x]).join('');
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${CROCKFORD[checkSymbol(v)]}`;
}

// A typed id in canonical form, or {error} (malformed or mistyped).
function parseId(text) {
  const v = [];
  for (const ch of text.toUpperCase()) {
    if (ch === '-' || ch === ' ') continue;
    const c = ch === 'O' ? '0' : ch === 'I' || ch === 'L' ? '1' : ch;
    const i = CROCKFORD.indexOf(c);
    if (i < 0) return { error: 'malformed' };
    v.push(i);
  }
  if (v.length !== 17 || checkSymbol(v.slice(0, 16)) !== v[16]) return { error: 'mistyped' };
  return { id: formatId(v.slice(0, 16)) };
}

// The payload of a QR text (a whole URL or the payload alone), upper case.
function payloadOf(text) {
  const m = /\/v\/([^/?#]*)(?:[?#].*)?$/i.exec(text);
  return decodeURIComponent(m ? m[1] : text.trim()).toUpperCase();
}

// The certificate id a payload carries (bytes 5..14, after the header and
// the key id), or null when the payload is not one.
function idOfPayload(payload) {
  const bytes = [];
  for (let i = 0; i + 3 <= payload.length && bytes.length < 15; i += 3) {
    const d = [0, 1, 2].map((k) => BASE41.indexOf(payload[i + k]));
    if (d.some((x) => x < 0)) return null;
    const n = d[0] + d[1] * 41 + d[2] * 41 * 41;
    if (n > 0xffff) return null;
    bytes.push(n >> 8, n & 0xff);
  }
  if (bytes.length < 15 || bytes[0] >> 6 !== 1) return null;
  const id = bytes.slice(5, 15);
  const v = [];
  let acc = 0;
  let bits = 0;
  for (const b of id) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      v.push((acc >> bits) & 31);
    }
    acc &= (1 << bits) - 1;
  }
  return formatId(v);
}

async function verifyStatic(text) {
  const byId = text.replace(/[- ]/g, '').length <= 24;
  let id;
  if (byId) {
    const parsed = parseId(text);
    if (parsed.error) return { status: 400, body: { error: { code: 'invalid', message: parsed.error } } };
    id = parsed.id;
  } else {
    id = idOfPayload(payloadOf(text));
    if (!id) return { status: 200, body: { verdict: 'forged', checked: 'payload', problem: 'damaged' } };
  }
  const record = await get(`data/certificates/${id}.json`);
  if (record.status === 404) return { status: 200, body: { verdict: 'unknown', checked: byId ? 'id' : 'payload' } };
  if (record.status !== 200) return record;
  if (!byId && payloadOf(text) !== record.body.payload)
    return { status: 200, body: { verdict: 'forged', checked: 'payload', problem: 'fields' } };
  const list = await get('data/revocations.json');
  if (list.status !== 200) return list;
  const hit = list.body.revoked.find((r) => r.id === id);
  return {
    status: 200,
    body: {
      verdict: hit ? 'revoked' : 'genuine',
      checked: byId ? 'id' : 'payload',
      certificate: record.body,
      revoked: hit ? { at: hit.revoked_at, reason: hit.reason } : null,
    },
  };
}

// ---- the router ----

function route() {
  const base = new URL(document.baseURI).pathname;
  let path = location.pathname;
  path = path.startsWith(base) ? path.slice(base.length) : path.replace(/^\/+/, '');
  const parts = path.split('/').filter(Boolean);
  const first = (parts[0] || '').toLowerCase();
  if (first === 'v' && parts.length > 1) return showVerify(decodeURIComponent(parts.slice(1).join('/')));
  if (first === 'v') return showLookup();
  if (first === 'results' && parts.length > 1) {
    const v = Number(new URLSearchParams(location.search).get('version'));
    return showEvent(decodeURIComponent(parts[1]), Number.isInteger(v) && v > 0 ? v : 0);
  }
  return showList();
}

route();
