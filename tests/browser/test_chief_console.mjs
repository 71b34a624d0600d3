// The chief judge's console: the judges score through judge-cli (one value
// missing, two discrepancies); the chief logs in in the browser with code
// and PIN, sees who still owes what, the incomplete code and the
// discrepancies with every value and its judge, and the judges' statistics
// drawn as an SVG chart. A lock is refused and the page says why. The
// console polls with If-None-Match: 304 while nothing changes, a fresh
// answer when a judge enters the missing value, nothing while the tab is
// hidden. The chief accepts both discrepancies with reasons (a measurement
// with the value that stands) and locks; the database holds the reasons,
// the value and the locked state. Nothing is loaded from outside the
// server, and before the lock no answer to the chief names a contestant.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, assertPrivate, closeAll, Contest, openTerminal, shot, until, watchdog } from './harness.mjs';

const c = new Contest();
watchdog(240000, c);
let browser;
let page;
let log;
let code; // reg_id -> anonymous code

// Each judge's marks A1 A2 B1 by registration id ('' = not entered). J01 is
// recused from R2026003; J02 still owes A2 of R2026004. Discrepancies:
// R2026001 B1 (measurement, 27 and 28), R2026002 A1 (mean, 2 and 9: the
// spread 7 is over 20 % of the max 10).
const MARKS = {
  J01: { R2026001: ['8', '3', '27'], R2026002: ['2', '2', '25'], R2026004: ['5', '1', '20'] },
  J02: { R2026001: ['8', '3', '28'], R2026002: ['9', '2', '25'], R2026003: ['10', '3', '30'], R2026004: ['5', '', '20'] },
};
const PINS = { J01: '246810', J02: '135790' };

const progressAnswers = () => log.answers.filter((a) => /\/api\/v1\/events\/CNC\/progress$/.test(a.url));
const progressRequests = () => log.requests.filter((u) => u.endsWith('/api/v1/events/CNC/progress')).length;
const statsAnswers = () => log.answers.filter((a) => a.url.endsWith('/judges/stats'));

function score(judge, regId, criterion, value) {
  c.cli('login', '--judge', judge, '--pin', PINS[judge]);
  c.cli('score', 'CNC', code[regId], criterion, value);
}

before(async () => {
  await c.start();
  c.setUp();
  code = Object.fromEntries(Object.entries(c.codes).map(([r, x]) => [r, x.code]));
  for (const [judge, rows] of Object.entries(MARKS)) {
    c.cli('login', '--judge', judge, '--pin', PINS[judge]);
    for (const [regId, marks] of Object.entries(rows))
      marks.forEach((v, k) => { if (v !== '') c.cli('score', 'CNC', code[regId], ['A1', 'A2', 'B1'][k], v); });
  }
  ({ browser, page, log } = await openTerminal());
});

after(() => closeAll(c, browser));

const cellText = (judge, criterion) =>
  page.locator(`#progress-matrix tr[data-judge="${judge}"] td[data-criterion="${criterion}"]`).textContent();

test('the chief logs in with code and PIN and lands on the console of the one event', async () => {
  await page.goto(`${c.url}/`);
  await page.locator('#judge-code').fill('J09');
  await page.locator('#judge-pin').fill('909090');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/chief\/CNC$/);
  await page.locator('#progress-matrix table').waitFor();
  assert.match(await page.locator('.console-head h1').textContent(), /CNC 数控铣 · 裁判长控制台/);
  assert.equal(await page.locator('.console-head .chip').textContent(), '评分中');
  assert.match(await page.locator('#who').textContent(), /J09/);

  // the events list shows the chief's event and opens the console again
  await page.locator('a', { hasText: '我的赛项' }).click();
  await page.waitForURL(/#\/events$/);
  const ev = page.locator('a.event');
  await ev.first().waitFor();
  assert.equal(await ev.count(), 1);
  assert.match(await ev.textContent(), /CNC 数控铣.*裁判长 · 评分中.*裁判长控制台/);
  await ev.click();
  await page.waitForURL(/#\/chief\/CNC$/);
  await page.locator('#progress-matrix table').waitFor();
});

test('progress: who owes what, the incomplete code, the discrepancies with values and judges', async () => {
  // by hand from MARKS: required = 3x2 (J01) + 4x2 (J02) + 4 measurements = 18, entered 17
  assert.deepEqual(await page.locator('#summary .figure').allTextContents(),
    ['3 / 4名选手已评完', '17 / 18个分数已录入', '2个分歧待处理']);
  const heads = await page.locator('#progress-matrix thead th').allTextContents();
  assert.deepEqual(heads, ['裁判', 'A1数控程序编制', 'A2工艺规范', '已录入 / 应录入', '缺'], 'owed criteria only');
  assert.equal(await cellText('J01', 'A1'), '✓');
  assert.equal(await cellText('J01', 'A2'), '✓');
  assert.equal(await cellText('J02', 'A1'), '✓');
  assert.equal(await cellText('J02', 'A2'), '缺 1');
  assert.match(await page.locator('#progress-matrix tr[data-judge="J01"]').textContent(), /J01 王建国.*6 \/ 6/);
  assert.match(await page.locator('#progress-matrix tr[data-judge="J02"]').textContent(), /J02 孙丽华.*7 \/ 8/);

  const incomplete = await page.locator('#incomplete tbody tr').allTextContents();
  assert.deepEqual(incomplete, [`${code.R2026004}A2 缺 1`]);

  const cards = page.locator('#discrepancies article.disc');
  assert.equal(await cards.count(), 2);
  const b1 = page.locator(`article.disc[data-code="${code.R2026001}"][data-criterion="B1"]`);
  const a1 = page.locator(`article.disc[data-code="${code.R2026002}"][data-criterion="A1"]`);
  assert.deepEqual(await b1.locator('.values li').allTextContents(), ['J01 王建国27.00', 'J02 孙丽华28.00']);
  assert.deepEqual(await a1.locator('.values li').allTextContents(), ['J01 王建国2.00', 'J02 孙丽华9.00']);
  assert.match(await b1.textContent(), /测量，满分 30\.00，最低 27\.00，最高 28\.00，相差 1\.00/);
  assert.match(await a1.textContent(), /平均，满分 10\.00，最低 2\.00，最高 9\.00，相差 7\.00/);
  assert.match(await page.locator('#last-refresh').textContent(), /^最后刷新 \d\d:\d\d:\d\d$/);
  await shot(page, 'chief-console');
});

test('the judges statistics are an SVG chart drawn by the page', async () => {
  // by hand: J01 is below J02 on R2026001 B1 and R2026002 A1, equal elsewhere;
  // J01's A2 of R2026004 has nothing to compare with (J02 has none yet)
  const rows = page.locator('#judge-chart svg.chart g.chart-row');
  assert.equal(await rows.count(), 2);
  assert.deepEqual(await rows.locator('title').allTextContents(), [
    'J01 王建国：比较 8 次，偏低 2 次，偏高 0 次，造成分歧 2 次',
    'J02 孙丽华：比较 8 次，偏低 0 次，偏高 2 次，造成分歧 2 次',
  ]);
  const widths = await rows.evaluateAll((gs) => gs.map((g) => [
    Number(g.querySelector('rect.chart-low').getAttribute('width')),
    Number(g.querySelector('rect.chart-high').getAttribute('width'))]));
  assert.ok(widths[0][0] > 0 && widths[0][1] === 0, `J01 has a "lower" bar only: ${widths[0]}`);
  assert.ok(widths[1][0] === 0 && widths[1][1] === widths[0][0], `J02 has an equal "higher" bar only: ${widths[1]}`);
  // values, compared, higher, lower, discrepancies, then the mean deviation
  // on A1, A2, B1: J01 A1 ((8-8) + (2-9) + (5-5)) / 3 = -2.33, B1 (-1 + 0 + 0) / 3
  const cells = (judge) => page.locator('#judge-stats tbody tr', { hasText: judge }).locator('td').allTextContents();
  assert.deepEqual(await cells('J01'), ['9', '8', '0', '2', '2', '-2.33', '0.00', '-0.33']);
  assert.deepEqual(await cells('J02'), ['11', '8', '2', '0', '2', '2.33', '0.00', '0.33']);
});

test('a lock with a value missing and discrepancies open is refused, and the page says why', async () => {
  await page.locator('#lock-event').click();
  await page.locator('.dialog').waitFor();
  await page.keyboard.press('Enter');
  const box = page.locator('#console-message');
  await until('the refusal', async () => (await box.isVisible()) && /无法锁定/.test(await box.textContent()));
  const text = await box.textContent();
  assert.match(text, /无法锁定：还有 1 个分数未录入（1 名选手未评完）；2 个分歧未处理。/);
  assert.match(text, new RegExp(`${code.R2026004}：A2 缺 1`));
  assert.match(text, new RegExp(`${code.R2026001} · B1：27\\.00 – 28\\.00`));
  assert.match(text, new RegExp(`${code.R2026002} · A1：2\\.00 – 9\\.00`));
  await shot(page, 'chief-lock-refused');
  assert.equal(c.sql("SELECT state FROM events WHERE code = 'CNC'")[0].state, 'drawn');
});

test('polling: 304 while nothing changes, fresh data when a judge enters a value, nothing while hidden', async () => {
  const first = progressAnswers().length;
  await until('two more polls', async () => progressAnswers().length >= first + 2, 15000);
  const later = progressAnswers().slice(first);
  assert.ok(later.every((a) => a.status === 304), `unchanged progress answered ${later.map((a) => a.status)}`);
  const statsBefore = statsAnswers().length;

  // J02 enters the missing value: the next poll gets it
  score('J02', 'R2026004', 'A2', '1');
  await until('the matrix to show it', async () => (await cellText('J02', 'A2')) === '✓', 12000);
  assert.equal(progressAnswers().at(-1).status, 200);
  assert.deepEqual(await page.locator('#summary .figure').allTextContents(),
    ['4 / 4名选手已评完', '18 / 18个分数已录入', '2个分歧待处理']);
  assert.equal(await page.locator('#incomplete tbody tr').count(), 0);
  assert.ok(await page.locator('#console-message').isHidden(), 'the lock refusal was about data that changed');
  assert.equal(statsAnswers().length, statsBefore + 1, 'the statistics are read again only when the progress changed');
  const n = progressAnswers().length;
  await until('the next poll', async () => progressAnswers().length > n, 12000);
  assert.equal(progressAnswers().at(-1).status, 304);

  // the tab is hidden: no requests; shown again: one at once
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const hiddenAt = progressRequests();
  await new Promise((r) => setTimeout(r, 11000));
  assert.equal(progressRequests(), hiddenAt, 'no polling while the tab is hidden');
  assert.match(await page.locator('#last-refresh').textContent(), /已暂停刷新/);
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await until('a poll as soon as the tab shows', async () => progressRequests() > hiddenAt, 2000);
});

test('the chief accepts both discrepancies with reasons, a measurement with the value that stands', async () => {
  const b1 = page.locator(`article.disc[data-code="${code.R2026001}"][data-criterion="B1"]`);
  await b1.locator('button.accept').click();
  // no reason: refused in the page
  await b1.locator('.pick', { hasText: '28.00' }).click();
  await b1.locator('button[type=submit]').click();
  assert.match(await b1.locator('.form-message').textContent(), /请填写接受的理由/);
  // a value over the max: refused in the page
  await b1.locator('input.value').fill('31');
  await b1.locator('input.reason').fill('现场复测为27.5');
  await b1.locator('button[type=submit]').click();
  assert.match(await b1.locator('.form-message').textContent(), /31 超过满分 30\.00/);
  await b1.locator('input.value').fill('27.5');
  // the form survives a refresh with new data while it is being filled in
  // (J02 revises another value: 5 to 5.5, no discrepancy)
  const n = progressAnswers().length;
  score('J02', 'R2026004', 'A1', '5.5');
  await page.locator('button', { hasText: '立即刷新' }).click();
  await until('the changed progress', async () => progressAnswers().slice(n).some((a) => a.status === 200));
  await until('the statistics redrawn', async () =>
    (await page.locator('#judge-stats tbody tr', { hasText: 'J02' }).locator('td').nth(5).textContent()) === '2.50');
  assert.equal(await b1.locator('input.reason').inputValue(), '现场复测为27.5');
  assert.equal(await b1.locator('input.value').inputValue(), '27.5');
  await b1.scrollIntoViewIfNeeded();
  await shot(page, 'chief-accept-form');
  await b1.locator('button[type=submit]').click();
  await until('B1 accepted', async () => /已接受，成立分数 27\.50。理由：现场复测为27\.5（裁判长 J09）/.test(await b1.textContent()));

  const a1 = page.locator(`article.disc[data-code="${code.R2026002}"][data-criterion="A1"]`);
  await a1.locator('button.accept').click();
  assert.equal(await a1.locator('input.value').count(), 0, 'a mean criterion takes no value');
  await a1.locator('input.reason').fill('两位裁判评分均在标准内，经复核予以认可');
  await a1.locator('input.reason').press('Enter');
  await until('A1 accepted', async () => /已接受。理由：两位裁判评分均在标准内/.test(await a1.textContent()));
  await until('the summary', async () => /^0个分歧待处理$/.test(await page.locator('#summary .figure').nth(2).textContent()));

  const rows = c.sql(`SELECT c.reg_id, k.code AS crit, a.reason, a.value_c FROM acceptances a
      JOIN contestants c ON c.id = a.contestant_id JOIN criteria k ON k.id = a.criterion_id ORDER BY c.reg_id`);
  assert.deepEqual(rows, [
    { reg_id: 'R2026001', crit: 'B1', reason: '现场复测为27.5', value_c: 2750 },
    { reg_id: 'R2026002', crit: 'A1', reason: '两位裁判评分均在标准内，经复核予以认可', value_c: null },
  ]);
});

test('the chief locks the event', async () => {
  const beforeLock = { requests: [...log.requests], answers: [...log.answers] };
  await page.locator('#lock-event').click();
  await page.locator('.dialog').waitFor();
  await page.locator('.dialog button.primary').click();
  await until('the lock', async () => (await page.locator('.console-head .chip').textContent()) === '已锁定');
  assert.match(await page.locator('#console-message').textContent(), /CNC 已锁定/);
  assert.ok(await page.locator('#lock-event').isHidden(), 'no lock button on a locked event');
  assert.match(await page.locator('.banner').textContent(), /已锁定：分数不能再修改/);
  await shot(page, 'chief-locked');
  assert.equal(c.sql("SELECT state FROM events WHERE code = 'CNC'")[0].state, 'locked');

  // through the API: the accepted reasons and the lock
  const token = JSON.parse(await page.evaluate(() => localStorage.getItem('contest.session'))).token;
  const res = await fetch(`${c.url}/api/v1/events/CNC/progress`, { headers: { Authorization: `Bearer ${token}` } });
  const p = await res.json();
  assert.equal(p.state, 'locked');
  assert.deepEqual(p.discrepancies.map((d) => [d.criterion, d.accepted, d.reason, d.accepted_value]).sort(), [
    ['A1', true, '两位裁判评分均在标准内，经复核予以认可', null],
    ['B1', true, '现场复测为27.5', '27.50'],
  ]);

  // before the lock: nothing from outside, no contestant named to the chief
  await assertPrivate(beforeLock, c.url, '/progress');
  assert.ok(beforeLock.answers.some((a) => a.url.endsWith('/judges/stats')), 'the statistics were checked too');
});

test('the console is usable on a phone', async () => {
  const small = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const p = await small.newPage();
  await p.goto(`${c.url}/`);
  await p.locator('#judge-code').fill('J09');
  await p.locator('#judge-pin').fill('909090');
  await p.locator('button[type=submit]').tap();
  await p.locator('#progress-matrix table').waitFor();
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
  const chart = await p.locator('#judge-chart svg').boundingBox();
  assert.ok(chart.width <= 390 && chart.width > 300, `chart ${chart.width}px wide`);
  await p.screenshot({ path: path.join(ARTIFACTS, 'chief-console-phone.png'), fullPage: true });
  await small.close();
});
