// The submission queue: every mark a judge enters goes through it. Each
// submission gets its Idempotency-Key when it is made and keeps it for every
// retry, so the server stores it once however often it is sent. The queue
// lives in localStorage: a reload or a browser restart keeps it. It is sent
// in order, one at a time; when the server cannot be reached (or answers
// 429/5xx) the queue waits and tries again with a growing delay; kick()
// tries at once (the app calls it when the server answers again). A refusal
// (400, 403, 404, 409) takes the submission out and keeps the server's
// message in a list of refusals until the judge enters that cell again.

const QUEUE_KEY = 'contest.queue.v1';
const REFUSED_KEY = 'contest.refused.v1';
const MAX_REFUSED = 200;

// A new idempotency key: 128 random bits (crypto.getRandomValues works on
// plain-http pages too, unlike crypto.randomUUID).
export function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return `web-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

function sameCell(a, b) {
  return a.judge === b.judge && a.event === b.event && a.contestant === b.contestant &&
    a.criterion === b.criterion;
}

export class SubmissionQueue {
  // send(item) resolves with the server's answer or rejects with an error
  // whose status is the HTTP status (none when the server was not reached).
  constructor({ send, storage = globalThis.localStorage, delaysMs = [1000, 2000, 4000, 8000, 15000] }) {
    this.send = send;
    this.storage = storage;
    this.delaysMs = delaysMs;
    this.judge = null;        // whose submissions are sent (the logged-in judge)
    this.inFlight = null;     // key of the submission being sent
    this.running = false;
    this.authBlocked = false; // the token was refused: wait for a new login
    this.failures = 0;
    this.timer = null;
    this.nextTryAt = 0;
    this.listeners = new Set();
  }

  read(name = QUEUE_KEY) {
    try {
      const v = JSON.parse(this.storage.getItem(name) || '[]');
      return Array.isArray(v) ? v : [];
    } catch {
      return [];
    }
  }

  write(list, name = QUEUE_KEY) {
    this.storage.setItem(name, JSON.stringify(list));
  }

  // fn({type: 'change'|'saved'|'refused'|'retry'|'auth', item?, answer?, error?})
  on(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(ev) {
    for (const fn of this.listeners) fn(ev);
  }

  // Queues a judge's mark {judge, event, contestant, criterion, value} and
  // starts sending. A queued, unsent submission for the same cell is
  // replaced (the judge changed it before it left); one being sent stays.
  add(fields) {
    const item = { ...fields, key: newKey(), queuedAt: new Date().toISOString(), tries: 0 };
    const list = this.read().filter((i) => !sameCell(i, item) || i.key === this.inFlight);
    list.push(item);
    this.write(list);
    this.write(this.read(REFUSED_KEY).filter((r) => !sameCell(r, item)), REFUSED_KEY);
    this.emit({ type: 'change', item });
    this.kick();
    return item;
  }

  items(judge) {
    const list = this.read();
    return judge === undefined ? list : list.filter((i) => i.judge === judge);
  }

  refused(judge) {
    const list = this.read(REFUSED_KEY);
    return judge === undefined ? list : list.filter((i) => i.judge === judge);
  }

  dismissRefused(key) {
    this.write(this.read(REFUSED_KEY).filter((r) => r.key !== key), REFUSED_KEY);
    this.emit({ type: 'change' });
  }

  // Sends the submissions of judge (null: none). A new login clears a
  // refused token.
  setJudge(judge) {
    this.judge = judge;
    this.authBlocked = false;
    this.kick();
  }

  // Try now: resets the back-off.
  kick() {
    this.failures = 0;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextTryAt = 0;
    this.drain();
  }

  remove(key) {
    this.write(this.read().filter((i) => i.key !== key));
  }

  async drain() {
    if (this.running || !this.judge || this.authBlocked) return;
    this.running = true;
    try {
      for (;;) {
        const item = this.read().find((i) => i.judge === this.judge);
        if (!item) break;
        this.inFlight = item.key;
        let answer = null;
        let error = null;
        try {
          answer = await this.send(item);
        } catch (e) {
          error = e;
        }
        this.inFlight = null;
        if (!error) {
          this.remove(item.key);
          this.failures = 0;
          this.emit({ type: 'saved', item, answer });
          this.emit({ type: 'change' });
          continue;
        }
        const status = error.status || 0;
        if (status === 401) {
          this.authBlocked = true;
          this.emit({ type: 'auth', item, error });
          break;
        }
        if (status === 0 || status === 429 || status >= 500) {
          this.write(this.read().map((i) => (i.key === item.key ? { ...i, tries: i.tries + 1 } : i)));
          const delay = this.delaysMs[Math.min(this.failures, this.delaysMs.length - 1)];
          this.failures++;
          this.nextTryAt = Date.now() + delay;
          this.timer = setTimeout(() => {
            this.timer = null;
            this.drain();
          }, delay);
          this.emit({ type: 'retry', item, error, delayMs: delay });
          break;
        }
        this.remove(item.key);
        const refusal = { ...item, status, code: error.code, message: error.message, at: new Date().toISOString() };
        this.write([...this.read(REFUSED_KEY).filter((r) => !sameCell(r, item)), refusal].slice(-MAX_REFUSED),
          REFUSED_KEY);
        this.emit({ type: 'refused', item, error });
        this.emit({ type: 'change' });
      }
    } finally {
      this.running = false;
    }
  }
}
