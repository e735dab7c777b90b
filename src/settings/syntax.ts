// The syntax of --latency and --rate-limit, in one place: the settings schema validates with these
// patterns, and the services read the values with these parsers.
import { MAX_DELAY_MS } from '../schemas/faults.js';
import { durationMs } from './clock.js';

/** --latency: "50" or "20-200" (ms). */
export const LATENCY_PATTERN = '^\\d{1,5}(-\\d{1,5})?$';
/** --rate-limit: "1620/60s" (requests per window; s, m, h or d). */
export const RATE_LIMIT_PATTERN = '^[1-9]\\d*/[1-9]\\d*[smhd]$';

const LATENCY = new RegExp(LATENCY_PATTERN);
const RATE_LIMIT = new RegExp(RATE_LIMIT_PATTERN);

export type Range = { min: number; max: number };

/** A --latency value as a range of ms (capped at MAX_DELAY_MS); undefined when unset or malformed. */
export function parseLatency(setting: string | undefined): Range | undefined {
  if (setting === undefined || !LATENCY.test(setting)) return undefined;
  const [a, b = a] = setting.split('-').map(Number);
  return { min: Math.min(a, b, MAX_DELAY_MS), max: Math.min(Math.max(a, b), MAX_DELAY_MS) };
}

/** A --rate-limit value as a limit and its window; undefined when unset or malformed. */
export function parseRateLimit(setting: string | undefined): { limit: number; windowMs: number } | undefined {
  if (setting === undefined || !RATE_LIMIT.test(setting)) return undefined;
  const [n, window] = setting.split('/');
  return { limit: Number(n), windowMs: durationMs(window)! };
}
