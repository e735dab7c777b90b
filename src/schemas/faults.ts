// /__admin/faults: fault rules (a gateway 5xx, a reset connection, or a delay) and their state.
import { Type, type Static } from '@sinclair/typebox';

/** Longest delay a rule or --latency may add: past a minute, clients and gateways time out anyway. */
export const MAX_DELAY_MS = 60_000;
const Ms = Type.Integer({ minimum: 0, maximum: MAX_DELAY_MS });

export const Delay = Type.Union([Ms, Type.Object({ min: Ms, max: Ms }, { additionalProperties: false })], {
  description: 'milliseconds, or a random time between min and max',
});
export type Delay = Static<typeof Delay>;

/** POST /__admin/faults. One action: `status`, `reset` or `delay_ms`. */
export const FaultRule = Type.Object(
  {
    method: Type.Optional(Type.String({ pattern: '^(\\*|[A-Za-z]+)$', description: 'an HTTP method, or * (default)' })),
    path: Type.Optional(Type.String({ pattern: '^/', description: 'a glob on the path without the query: * is one segment, ** any number (default /**)' })),
    principal_id: Type.Optional(Type.String({ minLength: 1, description: 'only requests whose credential belongs to this user or service account' })),
    times: Type.Optional(Type.Integer({ minimum: 1, description: 'fire this many times, then retire' })),
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'fire with this probability' })),
    status: Type.Optional(
      Type.Union([Type.Literal(500), Type.Literal(502), Type.Literal(503), Type.Literal(504)], { description: 'answer this gateway error instead of the API' }),
    ),
    reset: Type.Optional(Type.Literal(true, { description: 'close the connection without an answer' })),
    delay_ms: Type.Optional(Delay),
  },
  { additionalProperties: false },
);
export type FaultRule = Static<typeof FaultRule>;

export const FaultCreated = Type.Object({ id: Type.String() });
export type FaultCreated = Static<typeof FaultCreated>;

export const FaultState = Type.Object({
  ...FaultRule.properties,
  id: Type.String(),
  method: Type.String(),
  path: Type.String(),
  fired: Type.Integer({ description: 'how many requests it acted on' }),
  retired: Type.Boolean({ description: 'true once a rule with `times` has fired that many times' }),
});
export type FaultState = Static<typeof FaultState>;

export const FaultList = Type.Object({
  faults: Type.Array(FaultState, { description: 'in the order they are tried' }),
  latency_ms: Type.Union([Type.Object({ min: Type.Integer(), max: Type.Integer() }), Type.Null()], { description: 'the --latency added to every answer' }),
});
export type FaultList = Static<typeof FaultList>;

export const FaultParams = Type.Object({ id: Type.String() }, { additionalProperties: false });
