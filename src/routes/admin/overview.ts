// GET /__admin/overview: the dashboard's one JSON view (no digest, no secret; see services/overview.ts).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../schemas/common.js';
import { Overview, OverviewQuery } from '../../schemas/overview.js';

export default async function overviewRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/overview', {
    schema: { querystring: OverviewQuery, response: { 200: Overview, ...errorResponses(400, 401, 404) } },
    handler: async (request) => app.overview.view(request.query),
  });
}
