// GET /self (2024-04-22): Principal20240422 of the spec.
import { Type, type Static } from '@sinclair/typebox';
import { JsonApi, ResponseLinks as Links, StringEnum, Uuid } from './common.js';

const UserAttributes = Type.Object(
  {
    name: Type.String(),
    email: Type.String(),
    avatar_url: Type.String({ format: 'uri' }),
    username: Type.Optional(Type.String()),
    default_org_context: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

const ServiceAccountSelfAttributes = Type.Object({ name: Type.String(), default_org_context: Type.Optional(Uuid()) }, { additionalProperties: false });

export const SelfResponse = Type.Object(
  {
    jsonapi: JsonApi,
    data: Type.Object(
      {
        id: Uuid(),
        type: StringEnum(['user', 'service_account', 'app_instance']),
        attributes: Type.Union([UserAttributes, ServiceAccountSelfAttributes]),
      },
      { additionalProperties: false },
    ),
    links: Links,
  },
  { additionalProperties: false },
);
export type SelfResponse = Static<typeof SelfResponse>;
