// /__admin/clock: read, set, advance and release the server's clock.
import { Type, type Static } from '@sinclair/typebox';

export const ClockState = Type.Object({
  now: Type.String({ description: 'the server time, ISO 8601' }),
  frozen: Type.Boolean({ description: 'true once set: the clock stands still until advanced or released' }),
});
export type ClockState = Static<typeof ClockState>;

/** POST /__admin/clock: exactly one of `now` (sets and freezes) and `advance` (moves forward). */
export const ClockBody = Type.Object(
  {
    now: Type.Optional(Type.String({ description: 'ISO 8601 instant to freeze the clock at, e.g. 2030-01-01T00:00:00Z' })),
    advance: Type.Optional(Type.String({ description: 'a duration forward: 30s, 90m, 2h, 7d' })),
  },
  { additionalProperties: false },
);
export type ClockBody = Static<typeof ClockBody>;
