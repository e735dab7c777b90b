// The v1 API's role list (GET /v1/group/{groupId}/roles): plain JSON, no JSON:API. The fields are
// Snyk's v1 spec (`Listallrolesinagroupresponse`: name, description, publicId, created, modified)
// plus `customRole`, which Snyk's docs name ("Default roles are indicated by the customRole: false
// property").
import { Type, type Static } from '@sinclair/typebox';

export const V1Role = Type.Object(
  {
    name: Type.String(),
    description: Type.String(),
    publicId: Type.String({ format: 'uuid' }),
    created: Type.String({ format: 'date-time' }),
    modified: Type.String({ format: 'date-time' }),
    customRole: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type V1Role = Static<typeof V1Role>;

export const V1RoleList = Type.Array(V1Role);

/** A v1 error body, as Snyk's v1 API sends them: `{"code": 404, "message": "…", "error": "…"}`. */
export const V1Error = Type.Object({ code: Type.Integer(), message: Type.String(), error: Type.String() }, { additionalProperties: false });
export type V1Error = Static<typeof V1Error>;

/** v1 group ids are plain strings in Snyk's v1 spec: anything that is not a group the caller sees is a 404. */
export const V1GroupParams = Type.Object({ groupId: Type.String() }, { additionalProperties: false });
