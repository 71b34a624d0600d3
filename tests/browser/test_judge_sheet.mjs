// A judge scores a whole sheet in the browser from the keyboard, revises a
// value (with confirmation), is stopped by the page from entering a value
// over the max (and the server refuses it too when it is sent directly),
// sees a refusal of the server in the cell, and prints the 评分记录表. The
// database must hold exactly what was entered; the page must load nothing
// from outside the server and no answer may carry a contestant's name,
// organization or registration id. Screenshots at 1024x768, tablet and phone
// sizes go to ARTIFACTS.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ARTIFACTS, assertA4, assertPrivate, closeAll, Contest, openTerminal, sheetCell, shot, until, watchdog, WEB_DIR } from './harness.mjs';

const c = new Contest();
watchdog(240000, c);
let browser;
let page;
let log;
let rows; // J01's sheet in workstation order: [{reg_id?, code, workstation}]

// J01's marks as typed: per row of the sheet, A1 A2 B1 B2 ('' = left empty).
const TYPED = [
  ['7.5', '2', '28', ''],
  ['10', '3', '0', '1.5'],
  ['6.25', '0', '29.75', ''],
];
const CRITERIA = ['A1', 'A2', 'B1', 'B2'];

const cell = (row, col) => sheetCell(page, row, col);
const dbValues = () => c.values('J01');

const posts = () => log.requests.filter((u) => u.endsWith('/scores')).length;

async function waitAllSent() {
  await until('the header to say nothing waits', async () =>
    (await page.locator('#pending').textContent()) === '无待发送');
}

async function login(code, pin) {
  await page.goto(`${c.url}/`);
  await page.locator('#judge-code').fill(code);
  await page.locator('#judge-pin').fill(pin);
  await page.keyboard.press('Enter');
}

before(async () => {
  await c.start();
  c.setUp();
  rows = c.sheetOfJ01();
  ({ browser, page, log } = await openTerminal());
});

after(() => closeAll(c, browser));

test('a wrong PIN is refused in Chinese and a judge with one event lands on its sheet', async () => {
  await login('J01', '000000');
  await until('the login error', async () =>
    (await page.locator('.form-message').textContent()).includes('裁判编号或密码不正确'));
  await shot(page, 'judge-login-refused');
  await page.locator('#judge-pin').fill('246810');
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/sheet\/CNC$/);
  await page.locator('table.grid tbody tr').first().waitFor();
  assert.match(await page.locator('#who').textContent(), /J01/);
  assert.equal(await page.locator('#conn').textContent(), '已连接');
});

test('the sheet lists competed, not recused contestants by anonymous code in workstation order', async () => {
  const shown = await page.locator('table.grid tbody th.code').allTextContents();
  assert.deepEqual(shown, rows.map((r) => r.code), 'rows: anonymous codes in workstation order');
  const ws = await page.locator('table.grid tbody th.ws').allTextContents();
  assert.deepEqual(ws, rows.map((r) => String(r.workstation)));
  const heads = await page.locator('table.grid thead th.crit .crit-code').allTextContents();
  assert.deepEqual(heads, CRITERIA);
  const modules = await page.locator('table.grid thead th.module').allTextContents();
  assert.deepEqual(modules, ['A 编程与工艺 满分 30.00', 'B 零件加工 满分 30.00']);
  assert.equal(await cell(0, 3).locator('input').getAttribute('placeholder'), '无扣分');
  assert.equal(await cell(0, 1).locator('button').count(), 4, 'a judgement cell has the buttons 0 1 2 3');
  await shot(page, 'judge-sheet-empty');
});

test('a whole sheet entered from the keyboard is stored exactly', async () => {
  await cell(0, 0).locator('input').click();
  for (let r = 0; r < TYPED.length; r++) {
    for (let k = 0; k < CRITERIA.length; k++) {
      const v = TYPED[r][k];
      if (v !== '') await page.keyboard.type(v);
      // Tab on the first row, Enter on the second, both on the third
      await page.keyboard.press(r === 1 || (r === 2 && k % 2) ? 'Enter' : 'Tab');
    }
  }
  await waitAllSent();
  const states = [];
  for (let r = 0; r < TYPED.length; r++)
    for (let k = 0; k < CRITERIA.length; k++) states.push(await cell(r, k).getAttribute('data-state'));
  assert.deepEqual(states, TYPED.flat().map((v) => (v === '' ? 'empty' : 'saved')));
  assert.equal(await page.locator('.progress').textContent(), '已录入 9 / 9');
  await shot(page, 'judge-sheet');

  // computed by hand from TYPED: hundredths, revision 1, no value for an empty deduction
  const want = {};
  const hundredths = { '7.5': 750, 2: 200, 28: 2800, 10: 1000, 3: 300, 0: 0, '1.5': 150, '6.25': 625, '29.75': 2975 };
  TYPED.forEach((vals, r) => vals.forEach((v, k) => {
    if (v !== '') want[`${rows[r].code}/${CRITERIA[k]}`] = [hundredths[v], 1];
  }));
  assert.deepEqual(dbValues(), want);
  assert.equal(c.revisions('J01'), 10, 'one revision per value entered');
});

test('a revision asks first: Escape keeps the value, Enter changes it', async () => {
  const a1 = cell(0, 0).locator('input');
  await a1.click();
  await page.keyboard.type('8');
  await page.keyboard.press('Enter');
  const dialog = page.locator('.dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), new RegExp(`${rows[0].code} 的 A1.*已录入 7\\.50，确定改为 8`));
  await shot(page, 'judge-revision-confirm');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await a1.inputValue(), '7.50');
  assert.deepEqual(dbValues()[`${rows[0].code}/A1`], [750, 1]);

  await a1.click();
  await page.keyboard.type('8');
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  await page.keyboard.press('Enter');
  await waitAllSent();
  await until('A1 saved as 8.00', async () => (await a1.inputValue()) === '8.00' &&
    (await cell(0, 0).getAttribute('data-state')) === 'saved');
  assert.deepEqual(dbValues()[`${rows[0].code}/A1`], [800, 2]);
});

test('a value over the max is refused in the page, and by the server when sent directly', async () => {
  const before = posts();
  const a1 = cell(1, 0).locator('input');
  await a1.click();
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');
  await until('the cell to be marked wrong', async () => (await cell(1, 0).getAttribute('data-state')) === 'invalid');
  assert.match(await page.locator('.message').textContent(), /12 超过满分 10\.00/);
  assert.equal(await page.locator('.dialog').count(), 0, 'no revision dialog for a wrong value');
  await a1.fill('7.555');
  await page.keyboard.press('Enter');
  assert.match(await page.locator('.message').textContent(), /超过两位小数/);
  await shot(page, 'judge-over-max');
  assert.equal(posts(), before, 'nothing was sent');
  assert.deepEqual(dbValues()[`${rows[1].code}/A1`], [1000, 1]);
  await page.keyboard.press('Escape');
  await until('Escape to bring the saved value back', async () =>
    (await cell(1, 0).getAttribute('data-state')) === 'saved' && (await a1.inputValue()) === '10.00');
  await a1.fill('10');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.dialog').count(), 0, 'the same value again is no revision');
  assert.equal(posts(), before, 'nothing was sent');

  // the same values straight to the API with J01's own token
  const login = await fetch(`${c.url}/api/v1/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ judge: 'J01', pin: '246810' }) });
  const { token } = await login.json();
  for (const [criterion, value, re] of [['A1', '12', /over the max 10\.00/], ['A2', '2.5', /0, 1, 2 or 3/],
    ['A1', '7.555', /more than 2 decimal places/]]) {
    const res = await fetch(`${c.url}/api/v1/events/CNC/scores`, { method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `direct-${criterion}-${value}` },
      body: JSON.stringify({ contestant: rows[1].code, criterion, value }) });
    const body = await res.json();
    assert.equal(res.status, 400, `${criterion}=${value}: ${JSON.stringify(body)}`);
    assert.equal(body.error.code, 'invalid');
    assert.match(body.error.message, re);
  }
  assert.deepEqual(dbValues()[`${rows[1].code}/A1`], [1000, 1]);
  assert.deepEqual(dbValues()[`${rows[1].code}/A2`], [300, 1]);
});

test("a refusal by the server shows in the cell with the server's message", async () => {
  // An entry the page would not let through, put into the queue as an older
  // page might have left it: the server's refusal must reach the judge.
  await page.evaluate((code) => {
    const q = JSON.parse(localStorage.getItem('contest.queue.v1') || '[]');
    q.push({ judge: 'J01', event: 'CNC', contestant: code, criterion: 'B1', value: '31', key: 'web-test-over-max',
      queuedAt: new Date().toISOString(), tries: 0 });
    localStorage.setItem('contest.queue.v1', JSON.stringify(q));
  }, rows[2].code);
  await page.reload();
  const b1 = cell(2, 2);
  await until('the cell to show the refusal', async () => (await b1.getAttribute('data-state')) === 'refused');
  assert.match(await b1.getAttribute('title'), /服务器拒绝了 31（数据不符合要求）：value 31\.00 is over the max 30\.00 of criterion B1（已保存的仍是 29\.75）/);
  assert.match(await page.locator('.refused-list').textContent(), new RegExp(`${rows[2].code} · B1 = 31 被服务器拒绝`));
  await shot(page, 'judge-refused');
  assert.deepEqual(dbValues()[`${rows[2].code}/B1`], [2975, 1]);
  await page.locator('.refused-list button').click();
  await until('the refusal to be dismissed', async () => (await b1.getAttribute('data-state')) === 'saved');
  assert.equal(await b1.locator('input').inputValue(), '29.75');
});

test('the 评分记录表 prints on A4 with the saved values and a signature line', async () => {
  await page.locator('a', { hasText: '打印评分记录表' }).click();
  await page.waitForURL(/#\/print\/CNC$/);
  const doc = page.locator('.print-doc');
  await doc.locator('tbody tr').first().waitFor();
  const text = await doc.textContent();
  assert.match(text, /评分记录表/);
  assert.match(text, /CNC 数控铣/);
  assert.match(text, /J01 王建国/);
  assert.match(text, /裁判员签名/);
  const printed = await doc.locator('.print-grid tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(printed.map((r) => r.slice(0, 6)), [
    [String(rows[0].workstation), rows[0].code, '8.00', '2.00', '28.00', '无'],
    [String(rows[1].workstation), rows[1].code, '10.00', '3.00', '0.00', '1.50'],
    [String(rows[2].workstation), rows[2].code, '6.25', '0.00', '29.75', '无'],
  ]);
  for (const r of printed) assert.match(r[6], /^\d\d-\d\d \d\d:\d\d$/, 'each row has the time of its last entry');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'judge-record-print');
  const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'judge-record.pdf'), preferCSSPageSize: true });
  await page.emulateMedia({ media: 'screen' });
  assertA4(pdf);
});

test('the sheet fits a tablet and a phone: only the grid scrolls sideways', async () => {
  for (const [name, viewport] of [['tablet', { width: 820, height: 1180 }], ['phone', { width: 390, height: 844 }]]) {
    const small = await browser.newContext({ viewport, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const p = await small.newPage();
    await p.goto(`${c.url}/`);
    await p.locator('#judge-code').fill('J01');
    await p.locator('#judge-pin').fill('246810');
    await p.locator('button[type=submit]').tap();
    await p.locator('table.grid tbody tr').first().waitFor();
    await until('the saved values', async () => (await p.locator('td.cell[data-state=saved]').count()) === 10);
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
    await p.screenshot({ path: path.join(ARTIFACTS, `judge-sheet-${name}.png`) });
    await small.close();
  }
});

test('nothing is loaded from outside the server and no answer names a contestant', async () => {
  await assertPrivate(log, c.url);
  assert.ok(log.answers.some((a) => a.url.endsWith('/api/v1/events')), 'the event list was recorded');
  // the pages' own files name nothing outside either (the SVG namespace
  // of chart.js is a name, never fetched)
  for (const f of fs.readdirSync(WEB_DIR))
    assert.doesNotMatch(fs.readFileSync(path.join(WEB_DIR, f), 'utf8').replaceAll("'http://www.w3.org/2000/svg'", ''),
      /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i, `${f} refers to another site`);
});
