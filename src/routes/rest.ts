// Everything under /rest that Snyk gates: (after the fault stage, app.ts) authentication → rate
// limit → version → request body → schema validation → permission (in the routes) → handler. Hook
// order here is the gate order.
import type { FastifyInstance, FastifyRequest, preParsingHookHandler } from 'fastify';
import authentication from '../plugins/authentication.js';
import rateLimit from '../plugins/rate-limit.js';
import versioning from '../plugins/versioning.js';
import { addRouteHook } from '../plugins/route-hooks.js';
import { JSONAPI_MEDIA_TYPE, missingBody } from '../plugins/errors.js';
import { keepingRawBody } from '../plugins/request-notes.js';
import { jsonBody } from '../plugins/json-body.js';
import serviceAccountRoutes from './service-accounts/index.js';
import selfRoutes from './self/index.js';
import orgRoutes from './orgs/index.js';
import groupRoutes from './groups/index.js';

/** Whether a request carries a body: Fastify's own test (a Content-Length above 0, or any Transfer-Encoding). */
const carriesBody = (request: FastifyRequest) => {
  const { 'content-length': length, 'transfer-encoding': encoding } = request.headers;
  return encoding !== undefined || (length !== undefined && length !== '0');
};

const requireBody: preParsingHookHandler = (request, _reply, payload, done) => {
  if (!carriesBody(request)) return done(missingBody());
  done(null, payload);
};

export default async function restApi(app: FastifyInstance) {
  // The media-type rule applies to a request that carries a body, as Snyk's request validator
  // (vervet → kin-openapi openapi3filter) does: that body must be JSON:API (application/json is a
  // 400), media-type parameters such as charset are ignored, and it is read as UTF-8. GET and
  // DELETE never parse a body (app.ts), so their Content-Type is never looked at.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSONAPI_MEDIA_TYPE, { parseAs: 'string' }, keepingRawBody(jsonBody()));
  app.addHook('onRoute', (route) => {
    route.config = { resource: 'service_accounts', ...route.config };
    // after the gates (every onRequest hook runs first): an operation that takes a body and got
    // none is told so, whatever its Content-Type says, before any parser looks at that header.
    // Only on the routes that take a body: a GET pays for no hook it does not need
    if (route.schema?.body !== undefined) addRouteHook(route, 'preParsing', requireBody);
  });
  await app.register(authentication);
  await app.register(rateLimit);
  await app.register(versioning);
  await app.register(serviceAccountRoutes, { level: 'Org' });
  await app.register(serviceAccountRoutes, { level: 'Group' });
  await app.register(selfRoutes);
  await app.register(orgRoutes);
  await app.register(groupRoutes);
}
