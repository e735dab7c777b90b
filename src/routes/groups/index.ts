// GET /rest/groups (listGroups), GET /rest/groups/{group_id} (getGroup) and
// GET /rest/groups/{group_id}/orgs (listOrgsInGroup), each on its own release line.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses, Uuid } from '../../schemas/common.js';
import { GroupResponse, ListGroupsQuery, ListGroupsResponse } from '../../schemas/group.js';
import { ListOrgsInGroupQuery, ListOrgsInGroupResponse } from '../../schemas/org.js';
import { VersionQuery } from '../../schemas/service-account.js';
import { JSONAPI_MEDIA_TYPE } from '../../plugins/errors.js';
import { principalOf } from '../../plugins/authentication.js';
import { apiVersionOf } from '../../plugins/versioning.js';
import { requestOrigin } from '../../plugins/request-origin.js';

export default async function groupRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const GroupParams = Type.Object({ group_id: Uuid('Unique identifier for group') }, { additionalProperties: false });

  app.get('/groups', {
    config: { resource: 'groups' },
    schema: {
      operationId: 'listGroups',
      tags: ['Groups'],
      querystring: ListGroupsQuery,
      response: { 200: ListGroupsResponse, ...errorResponses(400, 401, 403, 404, 500) },
    },
    handler: async (req, reply) => {
      reply.type(JSONAPI_MEDIA_TYPE);
      return app.groups.list(principalOf(req), req.query, apiVersionOf(req));
    },
  });

  app.get('/groups/:group_id', {
    config: { resource: 'group' },
    schema: {
      operationId: 'getGroup',
      tags: ['Group'],
      params: GroupParams,
      querystring: VersionQuery,
      response: { 200: GroupResponse, ...errorResponses(400, 401, 403, 404, 409, 500) },
    },
    handler: async (req, reply) => {
      const target = app.principals.authorize(principalOf(req), 'Group', req.params.group_id, 'read', 'group');
      reply.type(JSONAPI_MEDIA_TYPE).header('location', `${requestOrigin(req)}/rest/groups/${target.id}`);
      return app.groups.get(target, apiVersionOf(req));
    },
  });

  app.get('/groups/:group_id/orgs', {
    config: { resource: 'group_orgs' },
    schema: {
      operationId: 'listOrgsInGroup',
      tags: ['Orgs'],
      params: GroupParams,
      querystring: ListOrgsInGroupQuery,
      response: { 200: ListOrgsInGroupResponse, ...errorResponses(400, 401, 403, 404, 500) },
    },
    handler: async (req, reply) => {
      const target = app.principals.authorize(principalOf(req), 'Group', req.params.group_id, 'read', 'group');
      reply.type(JSONAPI_MEDIA_TYPE);
      return app.orgs.listInGroup(target, req.query, apiVersionOf(req));
    },
  });
}
