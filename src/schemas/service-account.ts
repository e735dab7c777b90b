// Service-account requests and responses, written from the official spec (2023-09-07 resource,
// compiled spec 2024-10-15). Org and group differ only where the spec makes them differ.
import { Type, type Static } from '@sinclair/typebox';
import { LEVELS, type Level } from '../snyk/permissions.js';
import { JsonApi, PageQuery, QueryVersion, ResponseLinks as Links, StringEnum, Uuid } from './common.js';

export const AuthType = Type.Union(
  [Type.Literal('api_key'), Type.Literal('oauth_client_secret'), Type.Literal('oauth_private_key_jwt'), Type.Literal('access_token')],
  { description: 'The authentication strategy for the service account.' },
);
export type AuthType = Static<typeof AuthType>;

export const LevelName = Type.Union(LEVELS.map((l) => Type.Literal(l)));

// the same enums for the HTTP schemas (see StringEnum)
const AUTH_TYPES: AuthType[] = ['api_key', 'oauth_client_secret', 'oauth_private_key_jwt', 'access_token'];
const AuthTypeEnum = StringEnum(AUTH_TYPES, { description: 'The authentication strategy for the service account.' });
const LevelEnum = StringEnum([...LEVELS]);

export const ServiceAccountAttributes = Type.Object(
  {
    name: Type.String({ description: 'A human-friendly name of the service account.' }),
    auth_type: AuthTypeEnum,
    role_id: Uuid('The ID of the role which the Service Account is associated with.'),
    level: Type.Optional(LevelEnum),
    created_at: Type.Optional(Type.String({ format: 'date-time' })),
    api_key: Type.Optional(Type.String({ description: 'Only returned on creation, and only when auth_type is api_key.' })),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String({ description: 'Only sent on creation and on secret rotation.' })),
    jwks_url: Type.Optional(Type.String()),
    access_token_ttl_seconds: Type.Optional(Type.Number()),
    access_token: Type.Optional(Type.String({ description: 'Only returned on creation, and only when auth_type is access_token.' })),
    access_token_expires_at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const ServiceAccountResource = Type.Object(
  { id: Uuid(), type: Type.String(), attributes: ServiceAccountAttributes, links: Type.Optional(Links) },
  { additionalProperties: false },
);
export type ServiceAccountResource = Static<typeof ServiceAccountResource>;

// ---- requests

const SaType = Type.Literal('service_account');

export const CreateAttributes = Type.Object(
  {
    name: Type.String({ description: 'A human-friendly name for the service account.' }),
    role_id: Uuid('The ID of the role which the created service account should use.'),
    auth_type: AuthTypeEnum,
    jwks_url: Type.Optional(Type.String({ description: 'Must be https. Required only when auth_type is oauth_private_key_jwt.' })),
    access_token_ttl_seconds: Type.Optional(
      Type.Number({ minimum: 3600, maximum: 86400, description: 'Defaults to 1 hour if unset. Only used for oauth_* auth types.' }),
    ),
    access_token_expires_at: Type.Optional(
      Type.String({ format: 'date-time', description: 'Required only when auth_type is access_token; at most one year away.' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateAttributes = Static<typeof CreateAttributes>;

/** Org create: `data.type` is optional; group create: required (as in the spec). */
export const CreateBody = (level: Level) =>
  Type.Object(
    {
      data: Type.Object({ type: level === 'Group' ? SaType : Type.Optional(SaType), attributes: CreateAttributes }, { additionalProperties: false }),
    },
    { additionalProperties: false },
  );

export const PatchBody = Type.Object(
  {
    data: Type.Object(
      {
        type: SaType,
        id: Uuid('The service account ID. Must match the id in the url path.'),
        attributes: Type.Object({ name: Type.String() }, { additionalProperties: false }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PatchBody = Static<typeof PatchBody>;

export const SecretMode = StringEnum(['replace', 'create', 'delete']);

export const SecretsBody = Type.Object(
  {
    data: Type.Object(
      {
        type: SaType,
        attributes: Type.Object(
          { mode: SecretMode, secret: Type.Optional(Type.String({ description: 'Secret to delete when using `delete` mode' })) },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type SecretsBody = Static<typeof SecretsBody>;

export const VersionQuery = Type.Object({ version: QueryVersion }, { additionalProperties: false });

export const ListQuery = Type.Object(PageQuery, { additionalProperties: false });
export type ListQuery = Static<typeof ListQuery>;

// ---- responses

export const SingleResponse = Type.Object({ jsonapi: JsonApi, data: ServiceAccountResource, links: Links }, { additionalProperties: false });
export type SingleResponse = Static<typeof SingleResponse>;

const listMembers = { jsonapi: JsonApi, data: Type.Array(ServiceAccountResource), links: Links };

/** The group list carries `meta.access_tokens`; the org list has no `meta` (spec difference). */
const LIST_RESPONSES = {
  Org: Type.Object(listMembers, { additionalProperties: false }),
  Group: Type.Object(
    {
      ...listMembers,
      meta: Type.Optional(
        Type.Object({
          access_tokens: Type.Optional(Type.Object({ max_active_tokens: Type.Integer(), max_expiry_days: Type.Integer() })),
        }),
      ),
    },
    { additionalProperties: false },
  ),
};

export const ListResponse = <L extends keyof typeof LIST_RESPONSES>(level: L): (typeof LIST_RESPONSES)[L] => LIST_RESPONSES[level];
export type ListResponse = Static<(typeof LIST_RESPONSES)['Org']> | Static<(typeof LIST_RESPONSES)['Group']>;
