// The one clock: token expiry, created_at and the version gate's "today" all read it, so a later
// controllable clock changes them together.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Today's date in UTC, YYYY-MM-DD. */
export const utcDay = (clock: Clock): string => clock.now().toISOString().slice(0, 10);

/** Runs housekeeping on an interval; tests inject one they fire themselves. */
export interface Scheduler {
  /** Calls `fn` every `ms` milliseconds without keeping the process alive; returns the cancel function. */
  every(ms: number, fn: () => void): () => void;
}

export const systemScheduler: Scheduler = {
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
