// Snyk's v1 API, the one call the service-account workflow needs from it: GET /v1/group/{groupId}/roles
// ("List all roles in a group"), where Snyk's docs send users for a role's publicId. Plain JSON, no
// `version`; the same credentials as /rest (`token` or `bearer`); errors as v1's {code, message,
// error} (plugins/errors.ts). The caller needs read access to the group; any other group is a 404.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import authentication, { principalOf } from '../../plugins/authentication.js';
import rateLimit from '../../plugins/rate-limit.js';
import { apiError, ApiError } from '../../snyk/errors.js';
import { V1Error, V1GroupParams, V1RoleList } from '../../schemas/v1.js';

export default async function v1Api(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  await app.register(authentication);
  // one limit per credential, whichever API it calls
  await app.register(rateLimit);

  const errors = Object.fromEntries([400, 401, 404, 500].map((s) => [s, V1Error]));

  app.get('/group/:groupId/roles', {
    schema: { params: V1GroupParams, response: { 200: V1RoleList, ...errors } },
    handler: async (req) => {
      let group;
      try {
        group = app.principals.authorize(principalOf(req), 'Group', req.params.groupId, 'read', 'group');
      } catch (err) {
        // v1's wording for an org it cannot show, applied to the group
        if (err instanceof ApiError && err.status === 404) {
          throw apiError(404, `Group ${req.params.groupId} was not found or you may not have the correct permissions to access the group.`);
        }
        throw err;
      }
      return app.groups.roles(group);
    },
  });
}
