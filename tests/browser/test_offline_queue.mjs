// Offline tolerance: the server stops in the middle of a judge's session; the
// judge keeps entering (the cells wait, the header says so), reloads the
// page, even restarts the browser, and enters more; the server comes back on
// the same port with the same database, one answer is lost on the way back
// (the browser sees a broken connection after the server stored the value);
// the queue drains by itself and the database holds each mark exactly once.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { assertPrivate, Contest, freePort, launchProfile, record, sheetCell, shot, until, watchdog, WEB_DIR } from './harness.mjs';

const c = new Contest();
watchdog(240000, c);
const log = { requests: [], answers: [] };
let port;
let profile;
let context;
let page;
let rows;
let lostKey = null;

const cell = (row, col) => sheetCell(page, row, col);
const state = (row, col) => cell(row, col).getAttribute('data-state');
const text = (sel) => page.locator(sel).textContent();

async function open() {
  context = await launchProfile(profile, { viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  record(context, log);
  page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
}

before(async () => {
  port = await freePort();
  await c.start(port);
  c.setUp();
  rows = c.sheetOfJ01();
  profile = path.join(c.dir, 'profile');
  await open();
});

after(async () => {
  if (context) await context.close();
  await c.stop();
  c.cleanup();
});

test('the judge logs in and the app shell is kept for offline reloads', async () => {
  await page.goto(`${c.url}/`);
  await page.locator('#judge-code').fill('J01');
  await page.locator('#judge-pin').fill('246810');
  await page.keyboard.press('Enter');
  await page.locator('table.grid tbody tr').first().waitFor();
  await until('the service worker to control the page', () => page.evaluate(() => !!navigator.serviceWorker.controller));
  const cached = await page.evaluate(async () =>
    (await (await caches.open('contest-shell-v1')).keys()).map((r) => new URL(r.url).pathname).sort());
  const files = fs.readdirSync(WEB_DIR).filter((f) => f !== 'sw.js' && f !== 'index.html').map((f) => `/static/${f}`);
  assert.deepEqual(cached, ['/', ...files].sort(), 'the service worker keeps every file of contestd/web');
});

test('values entered while connected are saved', async () => {
  await cell(0, 0).locator('input').click();
  await page.keyboard.type('7.5');
  await page.keyboard.press('Tab');
  await page.keyboard.press('2');
  await page.keyboard.press('Tab');
  await until('two saved cells', async () => (await state(0, 0)) === 'saved' && (await state(0, 1)) === 'saved');
});

test('with the server stopped, entries wait in the queue and the header says so', async () => {
  await c.stop();
  await page.keyboard.type('28');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab'); // B2: no deduction
  await page.keyboard.type('10');
  await page.keyboard.press('Tab');
  await page.keyboard.press('3');
  await until('the header to show the server unreachable and 3 waiting', async () =>
    (await text('#conn')) === '未连接服务器' && (await text('#pending')) === '待发送 3 条');
  assert.deepEqual([await state(0, 2), await state(1, 0), await state(1, 1)], ['pending', 'pending', 'pending']);
  // a waiting value changed before it left: still one submission for the cell
  await cell(1, 0).locator('input').click();
  await page.keyboard.type('9');
  await page.keyboard.press('Enter');
  await page.locator('.dialog').waitFor();
  assert.match(await text('.dialog'), /已录入 10，确定改为 9/);
  await page.keyboard.press('Enter');
  await until('9 waiting in place of 10', async () => (await cell(1, 0).locator('input').inputValue()) === '9');
  assert.equal(await text('#pending'), '待发送 3 条');
  await shot(page, 'offline-pending');
});

test('a reload while the server is down keeps the sheet and the queue', async () => {
  await page.reload();
  await page.locator('table.grid tbody tr').first().waitFor();
  assert.match(await text('.banner'), /未连接服务器：显示的是本机保存的评分表/);
  await until('the header after the reload', async () => (await text('#pending')) === '待发送 3 条' &&
    (await text('#conn')) === '未连接服务器');
  assert.equal(await cell(1, 0).locator('input').inputValue(), '9');
  assert.deepEqual([await state(0, 0), await state(0, 1), await state(0, 2), await state(1, 0), await state(1, 1)],
    ['saved', 'saved', 'pending', 'pending', 'pending']);
  await cell(1, 2).locator('input').click();
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  await until('4 waiting', async () => (await text('#pending')) === '待发送 4 条');
  await shot(page, 'offline-reloaded');
});

test('a browser restart while the server is down keeps the queue', async () => {
  await context.close();
  await open();
  await page.goto(`http://127.0.0.1:${port}/#/sheet/CNC`);
  await page.locator('table.grid tbody tr').first().waitFor();
  await until('the queue after the restart', async () => (await text('#pending')) === '待发送 4 条');
  assert.equal(await state(1, 2), 'pending');
  await shot(page, 'offline-browser-restarted');
});

test('the server comes back: the queue drains by itself and every mark is stored once', async () => {
  // The first submission after the restart reaches the server, which
  // stores it, but its answer is lost: the page must send it again with
  // the same key and the server must answer the retry without storing twice.
  await context.route('**/api/v1/events/CNC/scores', async (route) => {
    if (lostKey) return route.continue();
    const res = await route.fetch();
    lostKey = route.request().headers()['idempotency-key'];
    assert.equal(res.status(), 201, 'the server stored the first submission');
    return route.abort('connectionreset');
  });
  await c.start(port);
  await until('the queue to drain', async () => (await text('#pending')) === '无待发送', 45000);
  assert.equal(await text('#conn'), '已连接');
  await until('every entered cell saved', async () => {
    const s = [];
    for (const [r, k] of [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]) s.push(await state(r, k));
    return s.every((x) => x === 'saved');
  });
  await until('the offline banner gone', async () => !(await page.locator('.banner').isVisible()));
  await shot(page, 'offline-drained');

  assert.ok(lostKey, 'the lost answer was simulated');
  const replays = log.answers.filter((a) => a.url.endsWith('/scores') && a.headers['idempotent-replay'] === 'true');
  assert.equal(replays.length, 1, 'the retry of the lost submission was answered as a replay');
  assert.equal(c.sql(`SELECT count(*) AS n FROM idempotency WHERE key = '${lostKey.replace(/'/g, "''")}'`)[0].n, 1);

  // by hand: what the judge entered last in each cell, each stored once
  const want = {
    [`${rows[0].code}/A1`]: [750, 1],
    [`${rows[0].code}/A2`]: [200, 1],
    [`${rows[0].code}/B1`]: [2800, 1],
    [`${rows[1].code}/A1`]: [900, 1],
    [`${rows[1].code}/A2`]: [300, 1],
    [`${rows[1].code}/B1`]: [0, 1],
  };
  assert.deepEqual(c.values('J01'), want);
  assert.equal(c.revisions('J01'), 6, 'six marks, six revisions: nothing counted twice');
});

test('nothing was loaded from outside the server and no answer names a contestant', async () => {
  await assertPrivate(log, `http://127.0.0.1:${port}`);
});
