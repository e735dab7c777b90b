// /__admin/requests: the request journal, its entries and filters.
import { Type, type Static } from '@sinclair/typebox';

export const JournalEntry = Type.Object({
  id: Type.String({ description: 'the snyk-request-id of the answer' }),
  time: Type.String({ description: 'when the request arrived, ISO 8601, on the server clock' }),
  method: Type.String(),
  path: Type.String({ description: 'the path, without the query string' }),
  query: Type.Record(Type.String(), Type.Unknown(), { description: 'query parameters, secret-named ones redacted' }),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'null when a reset fault closed the connection' }),
  duration_ms: Type.Number(),
  principal: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()], {
    description: 'who the credential authenticated, never the credential',
  }),
  body: Type.Optional(
    Type.Unknown({ description: 'the request body (forms as an object), secret members redacted; over 8 KiB, the first 8 KiB of its JSON text' }),
  ),
  body_truncated: Type.Optional(Type.Literal(true)),
  fault: Type.Optional(Type.String({ description: 'the id of the fault rule that acted on the request' })),
  switch: Type.Optional(Type.String({ description: 'the switch that let the request through, e.g. auth=presence' })),
});
export type JournalEntry = Static<typeof JournalEntry>;

const filters = {
  method: Type.Optional(Type.String({ minLength: 1, description: 'e.g. POST (any case)' })),
  path: Type.Optional(Type.String({ minLength: 1, description: 'a path prefix, e.g. /rest/orgs' })),
  status: Type.Optional(Type.Integer({ minimum: 100, maximum: 599 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'entries at or after this ISO 8601 instant' })),
};

/** GET /__admin/requests/count */
export const JournalCountQuery = Type.Object(filters, { additionalProperties: false });
export type JournalCountQuery = Static<typeof JournalCountQuery>;

/** GET /__admin/requests */
export const JournalQuery = Type.Object(
  { ...filters, limit: Type.Optional(Type.Integer({ minimum: 1, description: 'at most this many entries (newest first)' })) },
  { additionalProperties: false },
);
export type JournalFilter = Static<typeof JournalQuery>;

export const JournalList = Type.Object({
  requests: Type.Array(JournalEntry, { description: 'newest first' }),
  total: Type.Integer({ description: 'entries matching the filters (before limit)' }),
});
export type JournalList = Static<typeof JournalList>;

export const JournalCount = Type.Object({ count: Type.Integer() });
export type JournalCount = Static<typeof JournalCount>;
