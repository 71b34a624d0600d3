// The organizers' pages: an organizer logs in with account name and
// secret, sees every event with its state and progress (read lazily: only
// the events on screen, and again with If-None-Match so that a reload costs
// 304s), prints the draw sheet (抽签表) on A4, reads the results (ranks,
// totals, module scores, awards in Chinese; provisional until the lock) and
// unlocks a locked event with a reason. The 退出 button revokes the token
// on the server; without the server it forgets it locally and says so.
// Nothing is loaded from outside the server.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, assertA4, CONTEST, closeAll, Contest, openTerminal, record, shot, until, watchdog } from './harness.mjs';

const c = new Contest();
watchdog(240000, c);
let browser;
let page;
let log;
let secret;

// 25/25/25: with 4 ranked contestants C1 = 1, C2 = 2, C3 = 3.
const MY_CONTEST = { ...CONTEST, events: 'code,name,award_ratios\nCNC,数控铣,25/25/25\n' };
const DRAWN = 35;   // more events E01..E35, drawn, and E36..E40 in setup
const EXTRA = 40;
const ev = (i) => `E${String(i).padStart(2, '0')}`;

// Complete marks without discrepancies (A1 A2 B1; B2 only for R2026003).
const SCORES = [
  ['R2026001', 'J01', 8, 3, 28], ['R2026001', 'J02', 9, 3, 28],
  ['R2026002', 'J01', 6, 2, 25], ['R2026002', 'J02', 7, 2, 25],
  ['R2026003', 'J02', 10, 3, 30],
  ['R2026004', 'J01', 5, 1, 20], ['R2026004', 'J02', 5, 1, 20],
];

const isProgress = (url) => /\/api\/v1\/events\/[^/]+\/progress$/.test(url);
const progressAnswers = () => log.answers.filter((a) => isProgress(a.url));

// Waits until every progress request has its answer and none came for
// half a second.
async function settled() {
  let last = -1;
  await until('the progress requests to settle', async () => {
    const asked = log.requests.filter(isProgress).length;
    const n = progressAnswers().length;
    const quiet = asked === n && n === last;
    last = n;
    if (!quiet) await new Promise((r) => setTimeout(r, 500));
    return quiet;
  });
}

function writeCsv(name, lines) {
  const file = path.join(c.dir, `${name}.csv`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

before(async () => {
  await c.start();
  c.setUp(MY_CONTEST);
  const rows = ['event,contestant,criterion,judge,value'];
  for (const [reg, judge, a1, a2, b1] of SCORES)
    rows.push(`CNC,${reg},A1,${judge},${a1}`, `CNC,${reg},A2,${judge},${a2}`, `CNC,${reg},B1,${judge},${b1}`);
  rows.push('CNC,R2026003,B2,J02,2');
  c.cli('import', 'scores', writeCsv('scores', rows));

  const nums = Array.from({ length: EXTRA }, (_, i) => i + 1);
  c.cli('import', 'events', writeCsv('more-events', ['code,name', ...nums.map((i) => `${ev(i)},赛项${i}`)]));
  c.cli('import', 'criteria', writeCsv('more-criteria', ['event,module,module_name,module_weight,code,description,max,method',
    ...nums.map((i) => `${ev(i)},A,实操,,A1,操作,10,mean`)]));
  c.cli('import', 'contestants', writeCsv('more-contestants', ['reg_id,name,organization,event',
    ...nums.flatMap((i) => [`X${i}01,选手${i}甲,单位甲,${ev(i)}`, `X${i}02,选手${i}乙,单位乙,${ev(i)}`])]));
  c.cli('import', 'judges', writeCsv('more-judges', ['code,name,organization,pin,event,role',
    ...nums.map((i) => `J50,赵评审,评审中心,505050,${ev(i)},judge`)]));
  for (let i = 1; i <= DRAWN; i++) c.cli('draw', ev(i));

  secret = fs.readFileSync(`${c.db}.admin-secret`, 'utf8').trim();
  ({ browser, page, log } = await openTerminal());
});

after(() => closeAll(c, browser));

async function login() {
  await page.goto(`${c.url}/#/login/organizer`);
  await page.locator('#org-name').fill('admin');
  await page.locator('#org-secret').fill(secret);
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/events$/);
}

const row = (code) => page.locator(`article.org-event[data-event="${code}"]`);

// Waits until every drawn event on screen (and within the 100 px the page
// reads ahead) shows its progress: nothing is left to ask for.
function screenRead() {
  return until('the progress of the events on screen', () => page.evaluate(() =>
    [...document.querySelectorAll('article.org-event')].every((el) => {
      const r = el.getBoundingClientRect();
      const near = r.bottom > -100 && r.top < window.innerHeight + 100;
      return !near || /名选手评完|未抽签/.test(el.textContent);
    })));
}

test('an organizer logs in with account name and secret', async () => {
  await page.goto(`${c.url}/`);
  await page.locator('a', { hasText: '组织方' }).click();
  await page.waitForURL(/#\/login\/organizer$/);
  await page.locator('#org-name').fill('admin');
  await page.locator('#org-secret').fill('not-the-secret');
  await page.keyboard.press('Enter');
  await until('the refusal', async () => (await page.locator('.form-message').textContent()) === '账户名或密钥不正确');
  await shot(page, 'organizer-login-refused');
  await login();
  assert.equal(await page.locator('#who').textContent(), '组织方 admin');
});

test('the event list shows every event with its state and, lazily, its progress', async () => {
  await row('CNC').locator('meter').waitFor();
  assert.equal(await page.locator('article.org-event').count(), EXTRA + 1);
  assert.equal(await page.locator('#event-totals').textContent(), `共 ${EXTRA + 1} 个赛项：评分中 ${DRAWN + 1}，准备中 ${EXTRA - DRAWN}`);
  // by hand: J01 3 contestants x 2 owed criteria + J02 4 x 2 + 4 measurements
  assert.match(await row('CNC').textContent(), /^CNC 数控铣评分中5 名选手4\/4 名选手评完 · 分数 18\/18评分进度抽签表成绩$/);
  await until('E01 progress', async () => /0\/2 名选手评完 · 分数 0\/2/.test(await row('E01').textContent()));
  assert.match(await row(ev(EXTRA)).textContent(), /未抽签，尚未开始评分/);
  await shot(page, 'organizer-events');

  // only what is on screen was asked for
  await screenRead();
  await settled();
  const asked = new Set(progressAnswers().map((a) => a.url.split('/').at(-2)));
  assert.ok(asked.has('CNC'));
  assert.ok(asked.size < 20, `progress of ${asked.size} events read for one screen`);
  assert.ok(!asked.has(ev(DRAWN)), `${ev(DRAWN)} is far below and was not read`);
  for (const code of asked) assert.ok(code === 'CNC' || Number(code.slice(1)) <= DRAWN, `${code} is not drawn`);
  await row(ev(DRAWN)).scrollIntoViewIfNeeded();
  await until(`${ev(DRAWN)} progress once on screen`, async () => /0\/2 名选手评完/.test(await row(ev(DRAWN)).textContent()));
  await screenRead();
  await settled();

  // a reload asks again with the ETags kept: 304s, the progress still shown
  const before = progressAnswers().length;
  await page.reload();
  await row('CNC').locator('meter').waitFor();
  await until('the progress asked again', async () => progressAnswers().length > before);
  await settled();
  const again = progressAnswers().slice(before);
  assert.ok(again.length >= 1 && again.every((a) => a.status === 304), `after a reload: ${again.map((a) => a.status)}`);
  assert.match(await row('CNC').textContent(), /4\/4 名选手评完 · 分数 18\/18/);
});

test('the draw sheet lists workstation, code, registration id and name, and prints on A4', async () => {
  await row('CNC').locator('a', { hasText: '抽签表' }).click();
  await page.waitForURL(/#\/draw\/CNC$/);
  const doc = page.locator('.draw-sheet');
  await doc.locator('tbody tr').first().waitFor();
  const shown = await doc.locator('.print-grid tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const want = c.sql(`SELECT workstation, anon_code, reg_id, name, status FROM contestants
      WHERE event_id = (SELECT id FROM events WHERE code = 'CNC') ORDER BY workstation`)
    .map((r) => [String(r.workstation), r.anon_code, r.reg_id, r.name, r.status === 'absent' ? '缺考 未到场' : '']);
  assert.equal(want.length, 5);
  assert.deepEqual(shown, want);
  const text = await doc.textContent();
  assert.match(text, /抽签表/);
  assert.match(text, /CNC 数控铣/);
  assert.match(text, /监督人/);
  await shot(page, 'organizer-draw-sheet');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'organizer-draw-sheet-print');
  const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'draw-sheet.pdf'), preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  assertA4(pdf);
});

async function resultRows() {
  return page.locator('.results-doc .print-grid tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
}

// By hand (docs/SCORING.md): A = A1 mean + A2 judgement 20 x sum / (3 n);
// B = B1 - B2; total = A / 30 x 40 + B / 30 x 60, rounded once.
const RESULTS = [
  ['1', 'R2026003', '张伟杰', '市质检院', '30.00', '28.00', '96.00', '一等奖', ''],
  ['2', 'R2026001', '李明远', '第一技师学院', '28.50', '28.00', '94.00', '二等奖', ''],
  ['3', 'R2026002', '王强生', '高级技工学校', '19.83', '25.00', '76.44', '三等奖', ''],
  ['4', 'R2026004', '刘洋帆', '精密机械有限公司', '11.67', '20.00', '55.56', '', ''],
  ['', 'R2026005', '陈思雨', '第二职业技术学院', '', '', '', '', '缺考'],
];

test('results: ranks, module scores, totals and awards, provisional until the lock', async () => {
  await page.goto(`${c.url}/#/events`);
  await row('CNC').locator('a', { hasText: '成绩' }).click();
  await page.waitForURL(/#\/results\/CNC$/);
  await page.locator('.results-doc tbody tr').first().waitFor();
  assert.deepEqual(await resultRows(), RESULTS);
  assert.equal(await page.locator('#results-state').textContent(), '临时成绩：赛项评分中，尚未锁定；排名和奖项可能变化。');
  assert.equal(await page.locator('.provisional-mark').textContent(), '临时成绩 · 尚未锁定 · 不得公布');
  assert.match(await page.locator('.results-doc .print-meta').textContent(), /一等奖 第 1 名；二等奖 第 2 名；三等奖 第 3 名（排名选手 4 名）/);
  assert.ok(await page.locator('#unlock').isHidden(), 'nothing to unlock');
  await shot(page, 'organizer-results-provisional');

  c.cli('lock', 'CNC');
  await page.reload();
  await page.locator('.results-doc tbody tr').first().waitFor();
  assert.deepEqual(await resultRows(), RESULTS);
  assert.equal(await page.locator('#results-state').textContent(), '成绩已锁定。');
  assert.equal(await page.locator('.provisional-mark').count(), 0);
  await shot(page, 'organizer-results');
});

test('an organizer unlocks a locked event from its results, with a reason', async () => {
  const box = page.locator('#unlock');
  assert.ok(await box.isVisible());
  await box.locator('button[type=submit]').click();
  assert.match(await box.locator('.form-message').textContent(), /请填写解锁的理由/);
  assert.equal(c.sql("SELECT state FROM events WHERE code = 'CNC'")[0].state, 'locked');
  await page.locator('#unlock-reason').fill('B2 录入错误');
  await box.locator('button[type=submit]').click();
  await page.locator('.dialog').waitFor();
  assert.match(await page.locator('.dialog').textContent(), /理由“B2 录入错误”将记入审计记录/);
  await page.locator('.dialog button.primary').click();
  await until('the unlock', async () => /CNC 已解锁（理由：B2 录入错误）/.test(await page.locator('#results-state').textContent()));
  assert.ok(await box.isHidden());
  assert.equal(await page.locator('.provisional-mark').count(), 1, 'provisional again');
  assert.equal(c.sql("SELECT state FROM events WHERE code = 'CNC'")[0].state, 'drawn');
  const audit = c.sql("SELECT action, actor FROM audit WHERE reason = 'B2 录入错误'");
  assert.equal(audit.length, 1);
  assert.match(audit[0].action, /unlock/);
  assert.equal(audit[0].actor, 'organizer:admin');
});

test('退出 revokes the token on the server; without the server it is forgotten here and the page says so', async () => {
  const token = JSON.parse(await page.evaluate(() => localStorage.getItem('contest.session'))).token;
  await page.locator('#logout').click();
  await page.waitForURL(/#\/login\/organizer$/);
  assert.equal(await page.locator('.form-message').textContent(), '已退出。');
  await until('POST /logout answered 200', async () => log.answers.some((a) => a.url.endsWith('/api/v1/logout') && a.status === 200));
  const res = await fetch(`${c.url}/api/v1/whoami`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 401, 'the old token is revoked');

  await login();
  await page.route('**/api/v1/logout', (r) => r.abort('connectionrefused'));
  const token2 = JSON.parse(await page.evaluate(() => localStorage.getItem('contest.session'))).token;
  await page.locator('#logout').click();
  await page.waitForURL(/#\/login\/organizer$/);
  assert.match(await page.locator('.form-message').textContent(), /未连接服务器：已在本机退出/);
  assert.equal(await page.evaluate(() => localStorage.getItem('contest.session')), null);
  await page.unroute('**/api/v1/logout');
  const still = await fetch(`${c.url}/api/v1/whoami`, { headers: { Authorization: `Bearer ${token2}` } });
  assert.equal(still.status, 200, 'the server never heard of that logout');
});

test('the event list fits a phone, and nothing is loaded from outside the server', async () => {
  const small = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  record(small, log);
  const p = await small.newPage();
  await p.goto(`${c.url}/#/login/organizer`);
  await p.locator('#org-secret').fill(secret);
  await p.locator('button[type=submit]').tap();
  await p.locator('article.org-event[data-event="CNC"] meter').waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  await p.screenshot({ path: path.join(ARTIFACTS, 'organizer-events-phone.png') });
  await small.close();

  assert.ok(log.requests.length > 20);
  const outside = log.requests.filter((u) => !u.startsWith(`${c.url}/`) && !u.startsWith('data:'));
  assert.deepEqual(outside, [], 'requests to anywhere but the server');
});
