// /__admin: routes for operators and test suites, outside Snyk's gates. Bodies and responses are
// application/json; errors are JSON:API ErrorDocuments like everywhere else. Who may call them at
// all (the Host rule, the Origin rule, the admin secret) is the admin guard's (plugins/admin-guard.ts);
// routes marked `config: { open: true }` (`health`, the dashboard's files) need no admin secret.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CreateGrantBody,
  CreateGroupBody,
  CreateOrgBody,
  CreateUserBody,
  CreateUserResponse,
  DemoTokenResponse,
  HealthResponse,
  ReplaceResponse,
} from '../../schemas/admin.js';
import { GroupRecord, MembershipRecord, OrgRecord } from '../../schemas/store.js';
import { errorResponses } from '../../schemas/common.js';
import { sendError } from '../../plugins/errors.js';
import { jsonBody } from '../../plugins/json-body.js';
import adminGuard from '../../plugins/admin-guard.js';
import { DocumentError } from '../../services/admin.js';
import requestRoutes from './requests.js';
import clockRoutes from './clock.js';
import faultRoutes from './faults.js';
import rateLimitRoutes from './rate-limit.js';
import switchRoutes from './switches.js';
import eventsRoutes from './events.js';
import overviewRoutes from './overview.js';
import uiRoutes from './ui.js';

/** Fixtures and state documents may be large (thousands of accounts). */
const SEED_BODY_LIMIT = 64 * 1024 * 1024;

export default async function adminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // an empty body (e.g. `fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' } })`) is no body
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, jsonBody({ emptyIsNone: true }));

  // first: the Host rule, the Origin rule and the admin secret (plugins/admin-guard.ts)
  await app.register(adminGuard);

  app.get('/health', {
    // health checks carry no secret, and poll often
    config: { open: true, quiet: true },
    schema: { response: { 200: HealthResponse } },
    handler: async () => ({ status: 'ok' as const }),
  });

  // the dashboard's "Use the demo token": only the demo user's token (no other credential), and
  // behind the admin secret like the rest
  app.get('/demo-token', {
    schema: { response: { 200: DemoTokenResponse, ...errorResponses(401) } },
    handler: async () => ({ token: app.admin.demoToken() ?? null }),
  });

  app.post('/reset', {
    schema: { response: { 200: ReplaceResponse, ...errorResponses(401) } },
    handler: async () => app.admin.reset(),
  });

  app.post('/seed', {
    bodyLimit: SEED_BODY_LIMIT,
    schema: { response: { 200: ReplaceResponse, ...errorResponses(400, 401) } },
    handler: async (request, reply) => {
      try {
        return await app.admin.seed(request.body);
      } catch (err) {
        if (err instanceof DocumentError) return sendError(reply, err.errors[0], err.errors.slice(1));
        throw err;
      }
    },
  });

  // the store data as saved, credential digests only (no response schema: sent exactly as stored)
  app.get('/state', {
    handler: async () => app.admin.state(),
  });

  app.post('/groups', {
    schema: { body: CreateGroupBody, response: { 201: GroupRecord, ...errorResponses(400, 401, 409) } },
    handler: async (request, reply) => reply.code(201).send(await app.admin.createGroup(request.body)),
  });

  app.post('/orgs', {
    schema: { body: CreateOrgBody, response: { 201: OrgRecord, ...errorResponses(400, 401, 404, 409) } },
    handler: async (request, reply) => reply.code(201).send(await app.admin.createOrg(request.body)),
  });

  app.post('/users', {
    schema: { body: CreateUserBody, response: { 201: CreateUserResponse, ...errorResponses(400, 401, 404, 409) } },
    handler: async (request, reply) => reply.code(201).send(await app.admin.createUser(request.body)),
  });

  app.post('/grants', {
    schema: { body: CreateGrantBody, response: { 200: MembershipRecord, 201: MembershipRecord, ...errorResponses(400, 401, 404) } },
    handler: async (request, reply) => {
      const { membership, replaced } = await app.admin.createGrant(request.body);
      return reply.code(replaced ? 200 : 201).send(membership);
    },
  });

  // test controls: the journal, the clock, fault rules, the rate limit, the gates' switches
  await app.register(requestRoutes);
  await app.register(clockRoutes);
  await app.register(faultRoutes);
  await app.register(rateLimitRoutes);
  await app.register(switchRoutes);

  // the dashboard: its one JSON view, its event stream, and its static files
  await app.register(overviewRoutes);
  await app.register(eventsRoutes);
  await app.register(uiRoutes, { prefix: '/ui' });
}
