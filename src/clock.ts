// The one clock: token expiry, created_at and the version gate's "today" all read it, so a later
// controllable clock changes them together.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Today's date in UTC, YYYY-MM-DD. */
export const utcDay = (clock: Clock): string => clock.now().toISOString().slice(0, 10);
