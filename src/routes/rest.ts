// Everything under /rest that Snyk gates: JSON:API bodies, then (after the fault stage, app.ts)
// authentication → rate limit → version → schema validation → permission (in the routes) → handler.
// Hook order here is the gate order.
import type { FastifyInstance } from 'fastify';
import authentication from '../plugins/authentication.js';
import rateLimit from '../plugins/rate-limit.js';
import versioning from '../plugins/versioning.js';
import { JSONAPI_MEDIA_TYPE } from '../plugins/errors.js';
import { keepingRawBody } from '../plugins/journal.js';
import serviceAccountRoutes from './service-accounts/index.js';
import selfRoutes from './self/index.js';

export default async function restApi(app: FastifyInstance) {
  // request bodies must be JSON:API; anything else (application/json included) is a 400
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSONAPI_MEDIA_TYPE, { parseAs: 'string' }, keepingRawBody(app.getDefaultJsonParser('error', 'error')));
  app.addHook('onRoute', (route) => {
    route.config = { resource: 'service_accounts', ...route.config };
  });
  await app.register(authentication);
  await app.register(rateLimit);
  await app.register(versioning);
  await app.register(serviceAccountRoutes, { level: 'Org' });
  await app.register(serviceAccountRoutes, { level: 'Group' });
  await app.register(selfRoutes);
}
