// Groups (listGroups, getGroup: beta and experimental releases only), written from the official spec:
// Group (list items), GroupResponse (get).
import { Type, type Static } from '@sinclair/typebox';
import { JsonApi, PageQuery, ResponseLinks, StringEnum, Uuid } from './common.js';

const GroupAttributes = Type.Object({ name: Type.String({ description: 'The name of the group.' }) }, { additionalProperties: false });

export const Group = Type.Object({ id: Uuid(), type: StringEnum(['group']), attributes: GroupAttributes }, { additionalProperties: false });
export type Group = Static<typeof Group>;

export const ListGroupsQuery = Type.Object(PageQuery, { additionalProperties: false });
export type ListGroupsQuery = Static<typeof ListGroupsQuery>;

export const ListGroupsResponse = Type.Object({ jsonapi: JsonApi, data: Type.Array(Group), links: ResponseLinks }, { additionalProperties: false });
export type ListGroupsResponse = Static<typeof ListGroupsResponse>;

export const GroupResponse = Type.Object(
  { jsonapi: JsonApi, data: Group, links: Type.Object({ self: Type.Optional(Type.String()) }, { additionalProperties: false }) },
  { additionalProperties: false },
);
export type GroupResponse = Static<typeof GroupResponse>;
