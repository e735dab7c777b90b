// The one clock: token and credential expiry, created_at, the version gate's "today", the purge of
// expired credentials and the rate-limit windows all read it, so a test that moves it (POST
// /__admin/clock, `server.clock`, --now) moves them together. Client assertions are the exception:
// their client stamps them with real time, so they are checked against the real clock.
import { DATE_TIME } from '../schemas/formats.js';
import type { ClockBody, ClockState } from '../schemas/clock.js';
import { badRequest } from '../snyk/errors.js';

export interface Clock {
  now(): Date;
}

/** Real time (or, in tests, whatever stands for it). */
const realClock: Clock = { now: () => new Date() };

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** a jump of more than a century is a mistake (and far enough would leave the Date range) */
const MAX_ADVANCE_MS = 36_500 * UNIT_MS.d;
/** the last instant a Date can hold */
const MAX_DATE_MS = 8.64e15;
const DURATION = /^([+-]?\d+)([smhd])$/;

/** "90m", "+30d", "-2h", "10s" → milliseconds; undefined when it is not such a duration. */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : undefined;
}

/** The clock as the in-process API offers it (`server.clock`). */
export interface ClockControl {
  now(): Date;
  state(): ClockState;
  set(iso: string): ClockState;
  advance(duration: string): ClockState;
  real(): ClockState;
}

/**
 * The server's clock: real time (its `base`) until set. `set` freezes it at an instant; `advance`
 * moves it forward, frozen or not (unfrozen, it keeps an offset from real time); `real` returns to
 * real time.
 */
export class MockClock implements ClockControl {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(
    /** real time: client assertions, TLS certificates and the mock time's starting point */
    readonly base: Clock = realClock,
    /** --now: start frozen at this ISO instant */
    startAt?: string,
  ) {
    if (startAt !== undefined) this.set(startAt);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** now(), in ms since the epoch */
  nowMs(): number {
    // every request reads the clock: real time without a Date object
    return this.frozenAt ?? (this.base === realClock ? Date.now() : this.base.now().getTime()) + this.offsetMs;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }

  state(): ClockState {
    return { now: this.now().toISOString(), frozen: this.frozen };
  }

  /** Sets and freezes the clock at an ISO 8601 instant. */
  set(iso: string): ClockState {
    const ms = typeof iso === 'string' && DATE_TIME.test(iso) ? Date.parse(iso) : NaN;
    if (Number.isNaN(ms))
      throw badRequest(`now must be an ISO 8601 date-time with a time zone, e.g. 2030-01-01T00:00:00Z; got ${JSON.stringify(iso)}.`, { pointer: '/now' });
    this.frozenAt = ms;
    return this.state();
  }

  /** Moves the clock forward by a duration such as "90m" (units s, m, h, d; at most 100 years), frozen or not. */
  advance(duration: string): ClockState {
    const ms = typeof duration === 'string' && !duration.startsWith('-') ? durationMs(duration) : undefined;
    if (ms === undefined || ms > MAX_ADVANCE_MS || this.now().getTime() + ms > MAX_DATE_MS)
      throw badRequest(`advance must be a duration forward such as 30s, 90m, 2h or 7d (at most 36500d); got ${JSON.stringify(duration)}.`, {
        pointer: '/advance',
      });
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
    return this.state();
  }

  /** POST /__admin/clock: `{ now }` sets and freezes, `{ advance }` moves forward. */
  change(body: ClockBody): ClockState {
    const { now, advance } = body ?? {};
    if ((now === undefined) === (advance === undefined)) {
      throw badRequest('Give exactly one of now (an ISO 8601 instant to freeze the clock at) or advance (a duration such as 90m).', { pointer: '/' });
    }
    return now !== undefined ? this.set(now) : this.advance(advance!);
  }

  /** Back to real time. */
  real(): ClockState {
    this.frozenAt = undefined;
    this.offsetMs = 0;
    return this.state();
  }
}

/** Today's date in UTC, YYYY-MM-DD. */
let lastDay = NaN;
let lastDayText = '';
/** Today's date in UTC, YYYY-MM-DD; formatted once per day (the version gate asks on every request). */
export function utcDay(clock: Pick<MockClock, 'nowMs'>): string {
  const day = Math.floor(clock.nowMs() / UNIT_MS.d);
  if (day !== lastDay) {
    lastDayText = new Date(day * UNIT_MS.d).toISOString().slice(0, 10);
    lastDay = day;
  }
  return lastDayText;
}

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
