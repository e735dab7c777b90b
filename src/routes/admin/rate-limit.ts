// /__admin/rate-limit: the per-credential rate limit. POST { limit, window_seconds } turns it on
// (fresh counters), { enabled: false } off; GET shows the setting and the open windows.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RateLimitBody, RateLimitState } from '../../schemas/rate-limit.js';
import { errorResponses } from '../../schemas/common.js';

export default async function rateLimitRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const response = { 200: RateLimitState, ...errorResponses(400, 401) };

  app.get('/rate-limit', { schema: { response }, handler: async () => app.rateLimit.state() });
  app.post('/rate-limit', {
    config: { control: 'rate_limit' },
    schema: { body: RateLimitBody, response },
    handler: async (request) => app.rateLimit.set(request.body ?? {}),
  });
}
