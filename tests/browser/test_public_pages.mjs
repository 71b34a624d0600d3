// The public pages in Chromium, as the public meets them: the list of
// published results and an event's 成绩公示表 (on a 1024x768 terminal, a phone
// and in print), a correction's version 2 with what changed, and the QR code
// of a printed certificate: its A4 SVG rendered by Chromium, the screenshot
// read by zbarimg (an independent QR reader), and the URL it holds opened on
// a phone, which must say genuine with the winner's name and award; revoked,
// forged and mistyped as they should be. Then the same from the static copy
// judge-cli export-public writes, served by nginx with
// docs/nginx-public.conf while contestd is stopped. No page may load
// anything from elsewhere or break its Content-Security-Policy.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { Contest, freePort, launch, record, shot, until, watchdog } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const NGINX = process.env.NGINX || '/usr/sbin/nginx';

const c = new Contest();
watchdog(240000, c);
let browser;
let context;
let log;
let phone;
let nginx;
let staticOrigin;
const violations = [];

// CNC, ratios 25/25/50 with 4 ranked: C1 = 1, C2 = 2, C3 = 4 (worked by
// hand): 李明远 first, 王强生 second, 张伟杰 and 刘洋帆 third; 陈思雨 absent.
const FILES = {
  events: 'code,name,award_ratios\nCNC,数控铣,25/25/50\n',
  criteria: 'event,module,module_name,module_weight,code,description,max,method\nCNC,A,实操,,A1,零件加工,100,mean\n',
  contestants: [
    'reg_id,name,organization,event',
    'R2026001,李明远,第一技师学院,CNC',
    'R2026002,王强生,高级技工学校,CNC',
    'R2026003,张伟杰,精密机械有限公司,CNC',
    'R2026004,刘洋帆,第二职业技术学院,CNC',
    'R2026005,陈思雨,第三职业学校,CNC',
  ].join('\n') + '\n',
  judges: 'code,name,organization,pin,event,role\nJ01,王建国,市质检院,246810,CNC,judge\nJ02,孙丽华,市鉴定中心,135790,CNC,judge\n',
  checkin: 'reg_id,status,elapsed_s,reason\nR2026005,absent,,未到场\n',
  scores: [
    'event,contestant,criterion,judge,value',
    'CNC,R2026001,A1,J01,95', 'CNC,R2026001,A1,J02,93',
    'CNC,R2026002,A1,J01,88', 'CNC,R2026002,A1,J02,86',
    'CNC,R2026003,A1,J01,70', 'CNC,R2026003,A1,J02,72',
    'CNC,R2026004,A1,J01,60', 'CNC,R2026004,A1,J02,62',
  ].join('\n') + '\n',
};

function file(name, text) {
  const p = path.join(c.dir, name);
  fs.writeFileSync(p, text);
  return p;
}

function watch(page) {
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  return page;
}

function zbar(png) {
  return execFileSync('timeout', ['30', 'zbarimg', '-q', '--raw', png], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

// The certificate's A4 SVG rendered by Chromium at about 190 dpi; the QR
// code read back from the screenshot.
async function scanCertificate(svgFile) {
  const page = watch(await context.newPage());
  await page.setViewportSize({ width: 1600, height: 2263 });
  await page.goto(`file://${svgFile}`);
  const png = path.join(c.dir, `${path.basename(svgFile)}.png`);
  await page.screenshot({ path: png });
  await page.close();
  return zbar(png);
}

async function verdictOf(page, url) {
  await page.goto(url);
  await page.locator('#verdict').waitFor();
  return page.locator('#verdict').getAttribute('data-verdict');
}

let certs; // awards.csv rows: {award, name, id}

before(async () => {
  const port = await freePort();
  await c.start(port, ['--public-url', `http://127.0.0.1:${port}`]);
  c.cli('login', '--admin', '--secret-file', `${c.db}.admin-secret`);
  for (const kind of ['events', 'criteria', 'contestants', 'judges']) c.cli('import', kind, file(`${kind}.csv`, FILES[kind]));
  c.cli('draw', 'CNC');
  c.cli('import', 'checkin', file('checkin.csv', FILES.checkin));
  c.cli('import', 'scores', file('scores.csv', FILES.scores));
  c.cli('lock', 'CNC');
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  log = record(context);
  phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
  record(phone, log);
});

after(async () => {
  if (browser) await browser.close();
  if (nginx && nginx.exitCode === null) nginx.kill('SIGTERM');
  await c.stop();
  c.cleanup();
});

test('unpublished results are not shown; published ones are, as a table and as the printable 成绩公示表', async () => {
  const page = watch(await context.newPage());
  await page.goto(`${c.url}/results/CNC`);
  await until('the page says there is nothing', async () => (await page.locator('main').innerText()).includes('没有公示的成绩'));
  c.cli('publish', 'CNC');
  await page.goto(`${c.url}/results`);
  await page.locator('a.event').first().waitFor();
  assert.match(await page.locator('a.event').innerText(), /CNC.*数控铣.*公示中/s);
  await page.locator('a.event').click();
  await page.waitForURL(/\/results\/CNC$/);
  await page.locator('table.results tbody tr').first().waitFor();
  const rows = await page.locator('table.results tbody tr').allInnerTexts();
  assert.equal(rows.length, 5);
  assert.match(rows[0], /^1\s+李明远\s+第一技师学院\s+94\.00\s+94\.00\s+一等奖/);
  assert.match(rows[1], /^2\s+王强生.*87\.00.*二等奖/);
  assert.match(rows[2], /^3\s+张伟杰.*71\.00.*三等奖/);
  assert.match(rows[3], /^4\s+刘洋帆.*61\.00.*三等奖/);
  assert.match(rows[4], /陈思雨.*缺考/);
  const text = await page.locator('main').innerText();
  for (const secret of ['R2026001', 'R2026005']) assert.ok(!text.includes(secret), `the page shows ${secret}`);
  await shot(page, 'public-results');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.app').isVisible(), false, 'the header is printed');
  assert.equal(await page.locator('#print').isVisible(), false, 'the print button is printed');
  assert.ok(await page.locator('table.results').isVisible());
  assert.ok(await page.locator('.signature').isVisible(), 'the 公示单位 line is printed');
  await page.pdf({ path: path.join(process.env.ARTIFACTS || c.dir, 'public-results-print.pdf'), format: 'A4' });
  await page.close();
});

test('a correction is published as version 2, says what changed and why; version 1 stays', async () => {
  c.cli('unlock', 'CNC', '--reason', '申诉成立：刘洋帆 A1 复核');
  c.cli('import', 'scores', file('fix.csv', 'event,contestant,criterion,judge,value\nCNC,R2026004,A1,J01,90\nCNC,R2026004,A1,J02,90\n'));
  c.cli('lock', 'CNC');
  c.cli('publish', 'CNC');
  const page = watch(await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })).newPage());
  await page.goto(`${c.url}/results/CNC`);
  await page.locator('.correction').waitFor();
  const box = await page.locator('.correction').innerText();
  assert.match(box, /本版（第 2 版）更正了第 1 版/);
  assert.match(box, /申诉成立：刘洋帆 A1 复核/);
  // 刘洋帆 90: second (C2 = 2), 王强生 third
  assert.match(box, /刘洋帆[\s\S]*第4名 61\.00 三等奖 → 第2名 90\.00 二等奖/);
  assert.match(box, /王强生[\s\S]*第2名 87\.00 二等奖 → 第3名 87\.00 三等奖/);
  await shot(page, 'public-results-v2-phone');
  await page.locator('.versions a', { hasText: '第 1 版' }).click();
  await page.waitForURL(/version=1$/);
  await page.locator('table.results tbody tr').first().waitFor();
  assert.match(await page.locator('main').innerText(), /已被更正/);
  assert.match((await page.locator('table.results tbody tr').allInnerTexts())[1], /王强生.*二等奖/);
  await page.close();
});

test('a certificate printed from its SVG scans with zbarimg and its URL says genuine on a phone', async () => {
  c.cli('finalize', 'CNC');
  const dir = path.join(c.dir, 'certs');
  c.cli('certificates', 'CNC', '--out', dir);
  certs = fs.readFileSync(path.join(dir, 'awards.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\n').slice(1)
    .map((line) => line.split(',')).map((f) => ({ award: f[0], name: f[2], id: f[6] }));
  assert.deepEqual(certs.map((x) => [x.award, x.name]),
    [['一等奖', '李明远'], ['二等奖', '刘洋帆'], ['三等奖', '王强生'], ['三等奖', '张伟杰']]);
  const url = await scanCertificate(path.join(dir, `${certs[0].id}.svg`));
  assert.match(url, /^HTTP:\/\/127\.0\.0\.1:\d+\/V\/[0-9A-Z$*.:-]+$/);
  const page = watch(await phone.newPage());
  assert.equal(await verdictOf(page, url), 'genuine');
  const text = await page.locator('main').innerText();
  assert.match(text, /真实有效/);
  assert.match(text, /获奖人\s+李明远/);
  assert.match(text, /奖项\s+一等奖/);
  assert.match(text, new RegExp(certs[0].id));
  await shot(page, 'public-verify-genuine-phone');
  await page.close();
});

test('revoked, forged, mistyped and unknown certificates say so', async () => {
  c.cli('revoke', certs[3].id, '--reason', '核查后撤销');
  const page = watch(await phone.newPage());
  const png = path.join(c.dir, 'certs', `${certs[3].id}.qr.png`);
  const revokedUrl = zbar(png);
  assert.equal(await verdictOf(page, revokedUrl), 'revoked');
  assert.match(await page.locator('main').innerText(), /已撤销[\s\S]*撤销原因\s+核查后撤销/);
  const good = zbar(path.join(c.dir, 'certs', `${certs[0].id}.qr.png`));
  const at = good.length - 5;
  const forged = good.slice(0, at) + (good[at] === '7' ? '8' : '7') + good.slice(at + 1);
  assert.equal(await verdictOf(page, forged), 'forged');
  assert.match(await page.locator('main').innerText(), /伪造或被篡改/);
  // typed by hand into the form: one symbol wrong
  await page.goto(`${c.url}/v`);
  const typo = certs[0].id.slice(0, 5) + (certs[0].id[5] === 'A' ? 'B' : 'A') + certs[0].id.slice(6);
  await page.locator('#cert-id').fill(typo);
  await page.locator('#cert-id').press('Enter');
  await page.locator('#verdict').waitFor();
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'mistyped');
  assert.match(await page.locator('main').innerText(), /证书编号有误/);
  assert.equal(await verdictOf(page, `${c.url}/v/0000-0000-0000-0000-0`), 'unknown');
  // the right id, in lower case, from the form
  await page.goto(`${c.url}/v`);
  await page.locator('#cert-id').fill(certs[1].id.toLowerCase());
  await page.locator('#cert-id').press('Enter');
  await page.locator('#verdict').waitFor();
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'genuine');
  assert.match(await page.locator('main').innerText(), /刘洋帆[\s\S]*二等奖/);
  await page.close();
});

test('the static copy (export-public) served by nginx works without contestd', async () => {
  const site = path.join(c.dir, 'site');
  c.cli('export-public', site);
  const good = zbar(path.join(c.dir, 'certs', `${certs[0].id}.qr.png`));
  const revoked = zbar(path.join(c.dir, 'certs', `${certs[3].id}.qr.png`));
  await c.stop();
  assert.ok(fs.existsSync(NGINX), `nginx is missing (${NGINX}; Debian package nginx-light, scripts/deps.sh)`);
  const port = await freePort();
  const n = path.join(c.dir, 'nginx');
  fs.mkdirSync(path.join(n, 'tmp'), { recursive: true });
  const siteConf = fs.readFileSync(path.join(here, '..', '..', 'docs', 'nginx-public.conf'), 'utf8')
    .replace('listen 80;', `listen 127.0.0.1:${port};`).replace('root /srv/contest-public;', `root ${site};`);
  fs.writeFileSync(path.join(n, 'site.conf'), siteConf);
  const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
  const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(path.join(n, 'nginx.conf'), `user ${user} ${group};
worker_processes 1; daemon off; pid ${n}/nginx.pid; error_log ${n}/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${n}/tmp/body; proxy_temp_path ${n}/tmp/proxy;
  fastcgi_temp_path ${n}/tmp/fastcgi; uwsgi_temp_path ${n}/tmp/uwsgi; scgi_temp_path ${n}/tmp/scgi;
  types { text/html html; text/css css; text/javascript js; application/json json; image/png png; }
  default_type application/octet-stream; include ${n}/site.conf; }
`);
  nginx = spawn(NGINX, ['-p', n, '-c', path.join(n, 'nginx.conf'), '-e', path.join(n, 'error.log')], { stdio: 'ignore' });
  staticOrigin = `http://127.0.0.1:${port}`;
  await until('nginx answers', async () => {
    try {
      return (await fetch(`${staticOrigin}/results`)).ok;
    } catch {
      return false;
    }
  }, 10000);
  const page = watch(await phone.newPage());
  const payload = (u) => u.slice(u.toUpperCase().indexOf('/V/') + 3);
  assert.equal(await verdictOf(page, `${staticOrigin}/V/${payload(good)}`), 'genuine');
  const text = await page.locator('main').innerText();
  assert.match(text, /真实有效[\s\S]*获奖人\s+李明远[\s\S]*奖项\s+一等奖/);
  await shot(page, 'static-verify-genuine-phone');
  assert.equal(await verdictOf(page, `${staticOrigin}/v/${payload(revoked).toLowerCase()}`), 'revoked');
  const p = payload(good);
  assert.equal(await verdictOf(page, `${staticOrigin}/V/${p.slice(0, 40)}${p[40] === '7' ? '8' : '7'}${p.slice(41)}`), 'forged');
  assert.equal(await verdictOf(page, `${staticOrigin}/v/${certs[0].id}`), 'genuine');
  // another check character than its own (X, unless it is X)
  await page.goto(`${staticOrigin}/v/${certs[0].id.slice(0, 20)}${certs[0].id[20] === 'X' ? 'Y' : 'X'}`);
  await page.locator('#verdict').waitFor();
  assert.equal(await page.locator('#verdict').getAttribute('data-verdict'), 'mistyped');
  await page.goto(`${staticOrigin}/results/CNC`);
  await page.locator('.correction').waitFor();
  assert.match(await page.locator('main').innerText(), /已确认[\s\S]*第 2 版[\s\S]*李明远/);
  await page.close();
});

test('nothing was loaded from elsewhere and no page broke its policy', async () => {
  const origins = new Set(log.requests.filter((u) => !u.startsWith('data:')).map((u) => new URL(u).origin));
  for (const o of origins) assert.ok(o === c.url || o === staticOrigin || o === 'null', `a request to ${o}`);
  assert.ok(log.requests.some((u) => u.includes('/api/v1/verify/')), 'the verification API was used');
  assert.deepEqual(violations, []);
});
