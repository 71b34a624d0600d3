// Shared harness of the browser tests (imported, not run). Starts the real
// contestd on 127.0.0.1 with a temporary database, sets a small contest up
// with the real judge-cli (as tests/integration/lib.sh does), reads the
// database with the sqlite3 command, and launches Debian's chromium headless
// through playwright-core. Everything is bounded in time and cleaned up on
// exit (KEEP_TMP=1 keeps the temporary directory). Nothing is skipped: a
// missing contestd, judge-cli, chromium, sqlite3 or playwright-core fails
// the test with a message saying what to install.
//
// Environment (set by ctest): CONTESTD, JUDGE_CLI, ARTIFACTS (screenshots);
// CHROMIUM overrides /usr/bin/chromium.

import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
// The web terminal's files, as embedded into contestd.
export const WEB_DIR = path.join(here, '..', '..', 'contestd', 'web');

export function die(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

function need(file, what) {
  if (!file || !fs.existsSync(file)) die(`${what} is missing (${file || 'not set'})`);
  return file;
}

const CONTESTD = need(process.env.CONTESTD, 'the contestd binary (CONTESTD)');
const JUDGE_CLI = need(process.env.JUDGE_CLI, 'the judge-cli binary (JUDGE_CLI)');
const CHROMIUM = need(process.env.CHROMIUM || '/usr/bin/chromium', 'chromium (Debian package chromium; scripts/deps.sh)');
export const ARTIFACTS = process.env.ARTIFACTS || path.join(here, '..', '..', 'build', 'tests', 'browser-artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });
try {
  execFileSync('sqlite3', ['-version'], { stdio: 'ignore' });
} catch {
  die('the sqlite3 command is missing (Debian package sqlite3; scripts/deps.sh)');
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  die(`playwright-core cannot be loaded (${e.message}); run: (cd tests/browser && npm ci)`);
}

// The contest of the browser tests. J01 (市质检院) scores CNC; C3 is of J01's
// organization (recused, not on J01's sheet); C5 is absent (not on any sheet).
export const CONTEST = {
  events: 'code,name\nCNC,数控铣\n',
  criteria: [
    'event,module,module_name,module_weight,code,description,max,method',
    'CNC,A,编程与工艺,40,A1,数控程序编制,10,mean',
    'CNC,A,编程与工艺,40,A2,工艺规范,20,judgement',
    'CNC,B,零件加工,60,B1,尺寸精度,30,measurement',
    'CNC,B,零件加工,60,B2,安全文明生产（扣分）,5,deduction',
  ].join('\n') + '\n',
  contestants: [
    'reg_id,name,organization,event',
    'R2026001,李明远,第一技师学院,CNC',
    'R2026002,王强生,高级技工学校,CNC',
    'R2026003,张伟杰,市质检院,CNC',
    'R2026004,刘洋帆,精密机械有限公司,CNC',
    'R2026005,陈思雨,第二职业技术学院,CNC',
  ].join('\n') + '\n',
  judges: [
    'code,name,organization,pin,event,role',
    'J01,王建国,市质检院,246810,CNC,judge',
    'J02,孙丽华,市鉴定中心,135790,CNC,judge',
    'J09,吴振华,市数控协会,909090,CNC,chief',
  ].join('\n') + '\n',
  checkin: 'reg_id,status,elapsed_s,reason\nR2026005,absent,,未到场\n',
};

// Names, organizations and registration ids of the contestants: no
// judge-facing answer may contain any of them.
export const SECRETS = CONTEST.contestants.trim().split('\n').slice(1)
  .flatMap((line) => line.split(',').slice(0, 3));

// A TCP port free right now on 127.0.0.1 (for a server that must come back
// on the same port after a restart).
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Contest {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-test-'));
    this.db = path.join(this.dir, 'contest.db');
    this.log = path.join(this.dir, 'contestd.log');
    this.proc = null;
    this.url = null;
    this.env = {
      ...process.env,
      HOME: path.join(this.dir, 'home'),
      XDG_CONFIG_HOME: path.join(this.dir, 'home', '.config'),
      JUDGE_CLI_TOKEN_FILE: path.join(this.dir, 'token'),
      NO_PROXY: '*',
      no_proxy: '*',
    };
    for (const k of ['CONTEST_TOKEN', 'CONTEST_SERVER', 'http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY'])
      delete this.env[k];
    fs.mkdirSync(this.env.HOME, { recursive: true });
  }

  // Starts contestd on port (0: any free port), with extra flags after
  // the usual ones (a later flag wins); waits at most 10 s for its
  // "listening on" line.
  async start(port = 0, extra = []) {
    const before = fs.existsSync(this.log) ? fs.readFileSync(this.log, 'utf8').length : 0;
    const out = fs.openSync(this.log, 'a');
    this.proc = spawn(CONTESTD, ['--db', this.db, '--listen', `127.0.0.1:${port}`, '--public-url', 'http://127.0.0.1/',
      '--contest-code', 'TEST', '--contest-name', '测试大赛', ...extra], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const proc = this.proc;
    let exited = false;
    proc.once('exit', () => { exited = true; });
    for (let i = 0; i < 100; i++) {
      const text = fs.readFileSync(this.log, 'utf8').slice(before);
      const m = /contestd: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) {
        this.url = m[1];
        return this.url;
      }
      if (exited) die(`contestd exited at start-up:\n${this.logTail()}`);
      await sleep(100);
    }
    die(`contestd did not say it was listening within 10 s:\n${this.logTail()}`);
    return null;
  }

  // SIGTERM, up to 5 s to finish, then SIGKILL.
  async stop() {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const done = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  }

  logTail(n = 30) {
    try {
      return fs.readFileSync(this.log, 'utf8').trim().split('\n').slice(-n).join('\n');
    } catch {
      return '(no log)';
    }
  }

  // judge-cli ARGS... against this server; returns standard output.
  cli(...args) {
    try {
      return execFileSync(JUDGE_CLI, ['--server', this.url, ...args], { env: this.env, timeout: 60000, encoding: 'utf8' });
    } catch (e) {
      die(`judge-cli ${args.join(' ')} failed (exit ${e.status}): ${e.stderr || e.message}`);
    }
    return '';
  }

  // Rows of a query on the database (read-only; contestd may be running).
  sql(query) {
    const out = execFileSync('sqlite3', ['-readonly', '-json', this.db, query], { encoding: 'utf8', timeout: 30000 });
    return out.trim() ? JSON.parse(out) : [];
  }

  // Imports contest (CONTEST unless told) through judge-cli as the admin,
  // draws CNC, checks in.
  setUp(contest = CONTEST) {
    for (const [name, text] of Object.entries(contest)) fs.writeFileSync(path.join(this.dir, `${name}.csv`), text);
    this.cli('login', '--admin', '--secret-file', `${this.db}.admin-secret`);
    for (const kind of ['events', 'criteria', 'contestants', 'judges'])
      this.cli('import', kind, path.join(this.dir, `${kind}.csv`));
    this.cli('draw', 'CNC');
    this.cli('import', 'checkin', path.join(this.dir, 'checkin.csv'));
    // reg_id -> {code, workstation}, from the organizers' list
    this.codes = {};
    for (const r of this.sql('SELECT reg_id, anon_code AS code, workstation FROM contestants'))
      this.codes[r.reg_id] = r;
  }

  // A judge's current values in the database: {"CODE/A1": [value_c, revision]}.
  values(judge) {
    const out = {};
    for (const r of this.sql(`SELECT c.anon_code AS code, k.code AS crit, s.value_c AS v, s.revision AS rev
        FROM scores s JOIN contestants c ON c.id = s.contestant_id JOIN criteria k ON k.id = s.criterion_id
        JOIN judges j ON j.id = s.judge_id WHERE j.code = '${judge}'`))
      out[`${r.code}/${r.crit}`] = [r.v, r.rev];
    return out;
  }

  // How many revisions of a judge's values the database holds.
  revisions(judge) {
    return this.sql(`SELECT count(*) AS n FROM score_revisions r JOIN judges j ON j.id = r.judge_id
        WHERE j.code = '${judge}'`)[0].n;
  }

  // The contestants on J01's sheet, in workstation order.
  sheetOfJ01() {
    return ['R2026001', 'R2026002', 'R2026004'].map((id) => this.codes[id])
      .sort((a, b) => a.workstation - b.workstation);
  }

  cleanup() {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGKILL');
    if (process.env.KEEP_TMP) console.error(`kept ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

const LAUNCH = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  timeout: 60000,
};

export function launch() {
  return chromium.launch(LAUNCH);
}

// A browser with a profile in userDataDir that outlives it (as a terminal's
// Chromium keeps its profile across restarts); returns its one context.
export function launchProfile(userDataDir, options = {}) {
  return chromium.launchPersistentContext(userDataDir, { ...LAUNCH, ...options });
}

// A browser with one terminal-sized page (1024x768, Chinese) whose
// requests and answers are recorded (record); page errors are printed.
// Resolves to {browser, context, page, log}.
export async function openTerminal() {
  const browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' });
  const log = record(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  return { browser, context, page, log };
}

// The end of a test file: the browser closed, contestd stopped, the
// temporary directory gone.
export async function closeAll(contest, browser) {
  if (browser) await browser.close();
  await contest.stop();
  contest.cleanup();
}

// Fails unless the PDF's page is A4 portrait (595.28 x 841.89 points).
export function assertA4(pdf) {
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  assert.ok(box, 'the PDF has a page size');
  assert.ok(Math.abs(Number(box[1]) - 595.3) < 2 && Math.abs(Number(box[2]) - 841.9) < 2, `page ${box[1]} x ${box[2]} is not A4`);
}

// Records every request a browser context makes and every API answer it
// gets (status, body), to check that nothing leaves the server and nothing
// secret reaches the judge.
export function record(context, log = { requests: [], answers: [] }) {
  context.on('request', (r) => log.requests.push(r.url()));
  context.on('response', async (r) => {
    const entry = { url: r.url(), status: r.status(), headers: r.headers(), body: undefined };
    log.answers.push(entry);
    try {
      entry.body = await r.text();
    } catch {
      entry.body = null; // a redirect or an answer the page has dropped
    }
  });
  return log;
}

// Checks what a recorded browser did: every request went to origin (the
// server under test), and no answer carried a contestant's name,
// organization or registration id. seen: an API path whose answers must
// be among those checked (the judge's sheet unless told).
export async function assertPrivate(log, origin, seen = '/sheet') {
  assert.ok(log.requests.length > 20, 'requests were recorded');
  const outside = log.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
  assert.deepEqual(outside, [], 'requests to anywhere but the server');
  await until('every answer body read', async () => log.answers.every((a) => a.body !== undefined));
  assert.ok(log.answers.some((a) => a.url.endsWith(seen)), `the ${seen} answers were recorded`);
  for (const a of log.answers)
    for (const s of SECRETS) assert.ok(!(a.body || '').includes(s), `${a.url} contains "${s}"`);
}

// Fails unless cond() becomes true within ms.
export async function until(what, cond, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

// The cell of the score sheet at row (contestant) and col (criterion).
export function sheetCell(page, row, col) {
  return page.locator('table.grid tbody tr').nth(row).locator('td.cell').nth(col);
}

export function shot(page, name) {
  return page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

// A watchdog: no test runs longer than ms.
export function watchdog(ms, contest) {
  const t = setTimeout(() => {
    console.error(`FAIL: the test ran longer than ${ms / 1000} s`);
    if (contest) {
      console.error(contest.logTail());
      contest.cleanup();
    }
    process.exit(1);
  }, ms);
  t.unref();
}
