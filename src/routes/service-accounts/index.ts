// The 12 service-account operations: ONE route plugin, registered once per level (Org, Group).
// Routes hold only HTTP: schema, the permission gate, and one service call.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses, Uuid } from '../../schemas/common.js';
import { CreateBody, ListQuery, ListResponse, PatchBody, SecretsBody, SingleResponse, VersionQuery } from '../../schemas/service-account.js';
import type { Action, Level } from '../../snyk/permissions.js';
import { accountsPath } from '../../services/service-accounts.js';
import { JSONAPI_MEDIA_TYPE } from '../../plugins/errors.js';
import { requestOrigin } from '../../plugins/request-origin.js';
import { principalOf } from '../../plugins/authentication.js';
import { apiVersionOf } from '../../plugins/versioning.js';

export interface ServiceAccountRoutesOptions {
  level: Level;
}

/** operationIds of the official spec, per level */
const OPERATION_IDS = {
  Org: {
    list: 'getManyOrgServiceAccounts',
    create: 'createOrgServiceAccount',
    get: 'getOneOrgServiceAccount',
    update: 'updateOrgServiceAccount',
    remove: 'deleteServiceAccount',
    secrets: 'updateOrgServiceAccountSecret',
  },
  Group: {
    list: 'getManyGroupServiceAccount',
    create: 'createGroupServiceAccount',
    get: 'getOneGroupServiceAccount',
    update: 'updateGroupServiceAccount',
    remove: 'deleteOneGroupServiceAccount',
    secrets: 'updateServiceAccountSecret',
  },
} as const;

export default async function serviceAccountRoutes(fastify: FastifyInstance, { level }: ServiceAccountRoutesOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const ownerParam = level === 'Org' ? 'org_id' : 'group_id';
  const base = `/${level === 'Org' ? 'orgs' : 'groups'}/:${ownerParam}/service_accounts`;
  const ops = OPERATION_IDS[level];
  const OwnerParams = Type.Object({ [ownerParam]: Uuid() }, { additionalProperties: false });
  const AccountParams = Type.Object({ [ownerParam]: Uuid(), serviceaccount_id: Uuid() }, { additionalProperties: false });
  const tags = ['ServiceAccounts'];
  const errors = (...extra: number[]) => errorResponses(400, 401, 404, 500, ...extra);

  const ownerOf = (req: FastifyRequest) => (req.params as Record<string, string>)[ownerParam];
  /** Gate 4, before any account lookup: may this principal do `action` on this org/group? */
  const authorize = (req: FastifyRequest, action: Action) => app.principals.authorize(principalOf(req), level, ownerOf(req), action);
  // the token's `h` claim carries the scheme: Snyk's Go client assumes https:// when it has none
  const ctx = (req: FastifyRequest) => ({ version: apiVersionOf(req), host: requestOrigin(req) });
  /** `location` is a URL (the spec's `format: url`): the origin the client called + /rest + the path */
  const location = (req: FastifyRequest, path: string) => `${requestOrigin(req)}/rest${path}`;
  const respond = (req: FastifyRequest, reply: FastifyReply, path: string) => reply.type(JSONAPI_MEDIA_TYPE).header('location', location(req, path));

  app.get(base, {
    schema: { operationId: ops.list, tags, params: OwnerParams, querystring: ListQuery, response: { 200: ListResponse(level), ...errors(403) } },
    // synchronous reads: no promise per request (Fastify answers a throw as it does a rejection)
    handler: (req, reply) => {
      const target = authorize(req, 'read');
      // the document's bytes from the service (a kept page): sent as they are, not re-serialised
      respond(req, reply, accountsPath(level, target.id)).send(app.serviceAccounts.list(target, req.query, { version: apiVersionOf(req) }));
    },
  });

  app.post(base, {
    schema: {
      operationId: ops.create,
      tags,
      params: OwnerParams,
      querystring: VersionQuery,
      body: CreateBody(level),
      response: { 201: SingleResponse, ...errors(403, 409) },
    },
    handler: async (req, reply) => {
      const target = authorize(req, 'create');
      const created = await app.serviceAccounts.create(target, req.body.data.attributes, ctx(req));
      respond(req, reply, accountsPath(level, target.id, created.data.id)).code(201);
      return created;
    },
  });

  app.get(`${base}/:serviceaccount_id`, {
    schema: { operationId: ops.get, tags, params: AccountParams, querystring: VersionQuery, response: { 200: SingleResponse, ...errors(403) } },
    handler: (req, reply) => {
      const target = authorize(req, 'read');
      respond(req, reply, accountsPath(level, target.id, req.params.serviceaccount_id)).send(
        app.serviceAccounts.get(target, req.params.serviceaccount_id, { version: apiVersionOf(req) }),
      );
    },
  });

  app.patch(`${base}/:serviceaccount_id`, {
    schema: {
      operationId: ops.update,
      tags,
      params: AccountParams,
      querystring: VersionQuery,
      body: PatchBody,
      response: { 200: SingleResponse, ...errors(403, 409) },
    },
    handler: async (req, reply) => {
      const target = authorize(req, 'edit');
      const updated = await app.serviceAccounts.update(target, req.params.serviceaccount_id, req.body, ctx(req));
      respond(req, reply, accountsPath(level, target.id, req.params.serviceaccount_id));
      return updated;
    },
  });

  app.delete(`${base}/:serviceaccount_id`, {
    schema: { operationId: ops.remove, tags, params: AccountParams, querystring: VersionQuery, response: { 204: Type.Null(), ...errors(403) } },
    handler: async (req, reply) => {
      const target = authorize(req, 'delete');
      await app.serviceAccounts.remove(target, req.params.serviceaccount_id);
      // the spec lists `location` on the group delete's 204 but not on the org one
      if (level === 'Group') reply.header('location', location(req, accountsPath(level, target.id, req.params.serviceaccount_id)));
      return reply.code(204).send(null);
    },
  });

  app.post(`${base}/:serviceaccount_id/secrets`, {
    schema: {
      operationId: ops.secrets,
      tags,
      params: AccountParams,
      querystring: VersionQuery,
      body: SecretsBody,
      response: { 200: SingleResponse, ...errors(403) },
    },
    handler: async (req, reply) => {
      const target = authorize(req, 'edit');
      const result = await app.serviceAccounts.manageSecrets(target, req.params.serviceaccount_id, req.body, ctx(req));
      respond(req, reply, `${accountsPath(level, target.id, req.params.serviceaccount_id)}/secrets`);
      return result;
    },
  });
}
