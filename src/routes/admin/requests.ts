// /__admin/requests: the request journal (newest first, filterable), its count, and emptying it.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { JournalCount, JournalCountQuery, JournalList, JournalQuery } from '../../schemas/journal.js';
import { errorResponses } from '../../schemas/common.js';

export default async function requestRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/requests', {
    schema: { querystring: JournalQuery, response: { 200: JournalList, ...errorResponses(400, 401) } },
    handler: async (request) => app.journal.list(request.query),
  });

  app.get('/requests/count', {
    schema: { querystring: JournalCountQuery, response: { 200: JournalCount, ...errorResponses(400, 401) } },
    handler: async (request) => ({ count: app.journal.count(request.query) }),
  });

  app.delete('/requests', {
    config: { control: 'journal' },
    schema: { response: { 204: Type.Null(), ...errorResponses(401) } },
    handler: async (_request, reply) => {
      app.journal.clear();
      return reply.code(204).send(null);
    },
  });
}
