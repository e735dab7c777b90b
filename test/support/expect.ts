// Assertions every REST route test makes: the status, the JSON:API media type, and the body as the
// official spec's response for the operation (Ajv, spec/service-accounts-subset.json).
import type { Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { errorDocumentErrors, specErrors } from './spec.js';

/** A GET that succeeded: 200, JSON:API, the spec's body; returns the body. */
export function specOk(t: Test, res: LightMyRequestResponse, template: string) {
  t.equal(res.statusCode, 200, `${template}: ${res.body.slice(0, 300)}`);
  t.match(res.headers['content-type'], /^application\/vnd\.api\+json/);
  t.same(specErrors('GET', template, 200, res.json()), [], `${template} matches the official spec`);
  return res.json();
}

/** A GET that failed: the status, an ErrorDocument the spec declares for it, and where it points. */
export function specError(t: Test, res: LightMyRequestResponse, template: string, status: number, source?: Record<string, string>) {
  t.equal(res.statusCode, status, res.body.slice(0, 300));
  t.same(errorDocumentErrors(res.json()), [], 'an ErrorDocument');
  t.same(specErrors('GET', template, status, res.json()), [], `${status} is declared by the spec for ${template}`);
  if (source) t.same(res.json().errors[0].source, source);
}
