// GET /rest/self: the principal behind the credential (its own releases: GA 2024-04-22).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../schemas/common.js';
import { SelfResponse } from '../../schemas/self.js';
import { VersionQuery } from '../../schemas/service-account.js';
import { JSONAPI_MEDIA_TYPE } from '../../plugins/errors.js';
import { principalOf } from '../../plugins/authentication.js';
import { apiVersionOf } from '../../plugins/versioning.js';
import { selfDocument } from '../../services/self.js';

export default async function selfRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/self', {
    config: { resource: 'self' },
    schema: { operationId: 'getSelf', tags: ['Users'], querystring: VersionQuery, response: { 200: SelfResponse, ...errorResponses(400, 401, 403, 404, 500) } },
    handler: async (req, reply) => {
      reply.type(JSONAPI_MEDIA_TYPE);
      return selfDocument(app.store, principalOf(req), apiVersionOf(req));
    },
  });
}
