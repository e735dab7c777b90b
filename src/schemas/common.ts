// JSON:API building blocks shared by every route, written from the official spec's components.
import { Type, type SchemaOptions, type Static, type TSchema } from '@sinclair/typebox';
import type { ApiError } from '../snyk/errors.js';
import { JSONAPI } from '../snyk/json-document.js';

export const Uuid = (description?: string) => Type.String({ format: 'uuid', ...(description ? { description } : {}) });

/** QueryVersion of the spec: the gate checks it first; the schema keeps it documented and allowed. */
export const QueryVersion = Type.String({
  description: 'The requested version of the endpoint to process the request',
  pattern: '^(wip|work-in-progress|experimental|beta|((([0-9]{4})-([0-1][0-9]))-((3[01])|(0[1-9])|([12][0-9]))(~(wip|work-in-progress|experimental|beta))?))$',
});

/** The query members of every paginated list (StartingAfter, EndingBefore, Limit of the spec), and `version`. */
export const PageQuery = {
  version: QueryVersion,
  starting_after: Type.Optional(Type.String({ description: 'Return the page of results immediately after this cursor' })),
  ending_before: Type.Optional(Type.String({ description: 'Return the page of results immediately before this cursor' })),
  limit: Type.Integer({ format: 'int32', minimum: 10, maximum: 100, multipleOf: 10, default: 10, description: 'Number of results to return per page' }),
};

export const JsonApi = Type.Object({ version: Type.String({ pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$' }) }, { additionalProperties: false });

const Meta = Type.Object({}, { additionalProperties: true });

const LinkProperty = Type.Union([Type.String(), Type.Object({ href: Type.String(), meta: Type.Optional(Meta) }, { additionalProperties: false })]);

/**
 * The links this server sends: always strings. The spec's Links also allows `{href, meta}` objects;
 * a string-only schema lets fast-json-stringify serialise without trying each union branch per link.
 */
export const ResponseLinks = Type.Object(
  {
    first: Type.Optional(Type.String()),
    last: Type.Optional(Type.String()),
    next: Type.Optional(Type.String()),
    prev: Type.Optional(Type.String()),
    related: Type.Optional(Type.String()),
    self: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * A string enum as JSON Schema writes it (`{type: string, enum}`), like the spec: a union of
 * literals would make the response serialiser test each branch at run time. For HTTP schemas only
 * (TypeBox's Value functions do not check it).
 */
export const StringEnum = <T extends string[]>(values: [...T], options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...options });

export const ErrorObject = Type.Object(
  {
    id: Type.Optional(Type.String({ format: 'uuid' })),
    status: Type.String({ pattern: '^[45]\\d\\d$' }),
    code: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    detail: Type.String(),
    source: Type.Optional(Type.Object({ pointer: Type.Optional(Type.String()), parameter: Type.Optional(Type.String()) }, { additionalProperties: false })),
    links: Type.Optional(Type.Object({ about: Type.Optional(LinkProperty) }, { additionalProperties: false })),
    meta: Type.Optional(Meta),
  },
  { additionalProperties: false },
);

export const ErrorDocument = Type.Object({ jsonapi: JsonApi, errors: Type.Array(ErrorObject, { minItems: 1 }) }, { additionalProperties: false });

/** Error responses of an operation, keyed by status, for Fastify's `response` schema. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorDocument]));
}

export type ErrorDocument = Static<typeof ErrorDocument>;
export type ErrorObject = Static<typeof ErrorObject>;

/** Serialises errors as one ErrorDocument; the document's status is the first error's. */
export function errorDocument(errors: ApiError[]): ErrorDocument {
  return {
    jsonapi: JSONAPI,
    errors: errors.map((e) => {
      const obj = e.problem.toJsonApiErrorObject() as ErrorObject;
      // the catalog's status is that of its entry; ours is the one actually sent
      obj.status = String(e.status);
      if (e.source) obj.source = e.source;
      return obj;
    }),
  };
}
