// GET /rest/orgs (listOrgs) and GET /rest/orgs/{org_id} (getOrg), each on its own release line.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses, Uuid } from '../../schemas/common.js';
import { GetOrgQuery, ListOrgsQuery, ListOrgsResponse, OrgResponse } from '../../schemas/org.js';
import { JSONAPI_MEDIA_TYPE } from '../../plugins/errors.js';

export default async function orgRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['Orgs'];

  app.get('/orgs', {
    config: { resource: 'orgs' },
    schema: { operationId: 'listOrgs', tags, querystring: ListOrgsQuery, response: { 200: ListOrgsResponse, ...errorResponses(400, 401, 403, 404, 500) } },
    handler: async (req, reply) => {
      reply.type(JSONAPI_MEDIA_TYPE);
      return app.orgs.list(req.principal!, req.query, req.apiVersion!);
    },
  });

  app.get('/orgs/:org_id', {
    config: { resource: 'org' },
    schema: {
      operationId: 'getOrg',
      tags,
      params: Type.Object({ org_id: Uuid('Unique identifier for org') }, { additionalProperties: false }),
      querystring: GetOrgQuery,
      response: { 200: OrgResponse, ...errorResponses(400, 401, 403, 404, 409, 500) },
    },
    handler: async (req, reply) => {
      const target = app.principals.authorize(req.principal!, 'Org', req.params.org_id, 'read', 'org');
      reply.type(JSONAPI_MEDIA_TYPE);
      return app.orgs.get(target, req.query, req.apiVersion!);
    },
  });
}
