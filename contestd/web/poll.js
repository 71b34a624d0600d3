// Polling for the live views (the chief judge's console, the organizers'
// event list): run(), then again every intervalMs, never two at once, and
// not at all while the tab is hidden (a console left open in a background
// tab costs the server nothing); when the tab shows again it runs at once.
// The requests themselves are conditional GETs (api.conditionalGet), so an
// unchanged event costs the server a 304 and no computation.

export class Poller {
  // run: async () => any; a rejection is given to onError (the next round
  // still comes). onPause(paused): told when polling stops or resumes
  // because of the tab's visibility.
  constructor({ intervalMs, run, onError = () => {}, onPause = () => {} }) {
    this.intervalMs = intervalMs;
    this.run = run;
    this.onError = onError;
    this.onPause = onPause;
    this.timer = null;
    this.busy = false;
    this.again = false; // now() was asked for during a round
    this.stopped = true;
    this.onVisibility = () => {
      if (this.stopped) return;
      if (document.hidden) {
        this.clear();
        this.onPause(true);
      } else {
        this.onPause(false);
        this.now();
      }
    };
  }

  start() {
    this.stopped = false;
    document.addEventListener('visibilitychange', this.onVisibility);
    if (document.hidden) this.onPause(true);
    else this.now();
  }

  stop() {
    this.stopped = true;
    this.clear();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  clear() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  // A round now (a button, a decision just taken), then the usual interval.
  async now() {
    this.clear();
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    do {
      this.again = false;
      try {
        await this.run();
      } catch (e) {
        this.onError(e);
      }
    } while (this.again && !this.stopped);
    this.busy = false;
    if (!this.stopped && !document.hidden && !this.timer)
      this.timer = setTimeout(() => this.now(), this.intervalMs);
  }
}
