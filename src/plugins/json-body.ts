// The one JSON body parser, of /rest (application/vnd.api+json) and /__admin (application/json):
// the body read as Snyk's Go services read JSON (snyk/json-input.ts: lone surrogates become U+FFFD),
// refused with a 400 ErrorDocument when nested too deep or holding a prototype-changing member.
import type { FastifyBodyParser } from 'fastify';
import { JsonInputError, parseJsonInput } from '../snyk/json-input.js';
import { bodyProblem, missingBody } from './errors.js';

export interface JsonBodyOptions {
  /** a body of whitespace only is no body (undefined) instead of a 400 */
  emptyIsNone?: boolean;
}

export function jsonBody({ emptyIsNone = false }: JsonBodyOptions = {}): FastifyBodyParser<string> {
  return (request, body, done) => {
    if (emptyIsNone ? body.trim() === '' : body.length === 0) return done(emptyIsNone ? null : missingBody(), undefined);
    let parsed;
    try {
      // a leading byte order mark is dropped, as Fastify's own parser (secure-json-parse) did
      parsed = parseJsonInput(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
    } catch (err) {
      // JSON.parse's SyntaxError is answered by the error handler ("not valid JSON")
      return done(err instanceof JsonInputError ? bodyProblem(`the request body ${err.detail}`, err.pointer || '/') : (err as Error), undefined);
    }
    // the journal keeps the text as received unless it differs from what was read
    if (parsed.fixed) request.rawBody = undefined;
    return done(null, parsed.value);
  };
}
