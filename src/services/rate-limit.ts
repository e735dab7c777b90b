// Rate-limit mode (off by default): Snyk documents 1,620 requests per minute per API key, and 429
// past it. A fixed window per credential, opened by its first request and timed by the server clock,
// so a test can hit the limit in three requests and move the clock past the window.
import type { Clock } from '../settings/clock.js';
import { parseRateLimit } from '../settings/syntax.js';
import { checked } from '../schemas/check.js';
import { RateLimitBody, type RateLimitState } from '../schemas/rate-limit.js';
import { apiError, badRequest, type ApiError } from '../snyk/errors.js';
import type { Principal } from './principals.js';

/** The rate limit as the in-process API offers it (`server.rateLimit`). */
export interface RateLimitControl {
  set(body: RateLimitBody): RateLimitState;
  state(): RateLimitState;
}

interface Window {
  start: number;
  count: number;
  rejected: number;
  principal: { type: string; id: string };
}

/** Key of the requests that no stored credential authenticated (--auth presence / off). */
const ALL_ACCESS_KEY = 'all-access';
/** Past this many open windows, closed ones are swept before a new one is opened. */
const SWEEP_AT = 10_000;

export class RateLimiter implements RateLimitControl {
  private limit: number | undefined;
  private windowMs: number | undefined;
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly clock: Clock,
    setting: string | undefined,
  ) {
    const parsed = parseRateLimit(setting);
    this.limit = parsed?.limit;
    this.windowMs = parsed?.windowMs;
  }

  get enabled(): boolean {
    return this.limit !== undefined;
  }

  /** `{ limit, window_seconds }` (re)starts the limit with fresh counters; `{ enabled: false }` stops it. */
  set(input: RateLimitBody): RateLimitState {
    const body = checked(RateLimitBody, input);
    if (body.enabled === false) {
      if (body.limit !== undefined || body.window_seconds !== undefined)
        throw badRequest('{ "enabled": false } takes no limit or window_seconds.', { pointer: '/' });
      this.limit = this.windowMs = undefined;
    } else {
      if (body.limit === undefined || body.window_seconds === undefined) {
        throw badRequest(`Give limit and window_seconds (e.g. { "limit": 3, "window_seconds": 60 }), or { "enabled": false }.`, {
          pointer: `/${body.limit === undefined ? 'limit' : 'window_seconds'}`,
        });
      }
      this.limit = body.limit;
      this.windowMs = body.window_seconds * 1000;
    }
    this.windows.clear();
    return this.state();
  }

  state(): RateLimitState {
    const now = this.clock.now().getTime();
    const counters: RateLimitState['counters'] = [];
    if (this.windowMs !== undefined) {
      for (const [key, w] of this.windows) {
        if (now >= w.start + this.windowMs) continue;
        counters.push({
          credential_id: key,
          principal: w.principal,
          count: w.count,
          rejected: w.rejected,
          window_start: new Date(w.start).toISOString(),
          resets_at: new Date(w.start + this.windowMs).toISOString(),
        });
      }
    }
    return { enabled: this.enabled, limit: this.limit ?? null, window_seconds: this.windowMs === undefined ? null : this.windowMs / 1000, counters };
  }

  /** Counts a request of `principal`'s credential: a 429 (with retry-after) when it is over the limit. */
  check(principal: Principal): ApiError | undefined {
    const limit = this.limit;
    const windowMs = this.windowMs;
    if (limit === undefined || windowMs === undefined) return undefined;
    const now = this.clock.now().getTime();
    const key = principal.credential ?? ALL_ACCESS_KEY;
    let w = this.windows.get(key);
    if (!w || now >= w.start + windowMs) {
      if (!w && this.windows.size >= SWEEP_AT) this.sweep(now, windowMs);
      w = { start: now, count: 0, rejected: 0, principal: { type: principal.type, id: principal.id } };
      this.windows.set(key, w);
    }
    if (w.count < limit) {
      w.count++;
      return undefined;
    }
    w.rejected++;
    const retryAfter = Math.max(1, Math.ceil((w.start + windowMs - now) / 1000));
    return apiError(
      429,
      `The rate limit of ${limit} requests per ${windowMs / 1000} seconds for this credential has been exceeded; retry after ${retryAfter} seconds.`,
      undefined,
      { 'retry-after': String(retryAfter) },
    );
  }

  private sweep(now: number, windowMs: number): void {
    for (const [key, w] of this.windows) if (now >= w.start + windowMs) this.windows.delete(key);
  }
}
