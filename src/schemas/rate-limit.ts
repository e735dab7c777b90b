// /__admin/rate-limit: the per-credential request window and its counters.
import { Type, type Static } from '@sinclair/typebox';

/** POST /__admin/rate-limit: `{ limit, window_seconds }` turns it on, `{ enabled: false }` off. */
export const RateLimitBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'false turns the limit off (give nothing else); default true' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'requests per window, per credential' })),
    window_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);
export type RateLimitBody = Static<typeof RateLimitBody>;

export const RateLimitCounter = Type.Object({
  credential_id: Type.String({ description: 'the credential (its SHA-256 digest, as in /__admin/state); "all-access" under --auth presence/off' }),
  principal: Type.Object({ type: Type.String(), id: Type.String() }),
  count: Type.Integer({ description: 'requests let through in this window' }),
  rejected: Type.Integer({ description: 'requests answered 429 in this window' }),
  window_start: Type.String(),
  resets_at: Type.String(),
});

export const RateLimitState = Type.Object({
  enabled: Type.Boolean(),
  limit: Type.Union([Type.Integer(), Type.Null()]),
  window_seconds: Type.Union([Type.Integer(), Type.Null()]),
  counters: Type.Array(RateLimitCounter, { description: 'windows still open, on the server clock' }),
});
export type RateLimitState = Static<typeof RateLimitState>;
