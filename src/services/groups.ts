// Groups: the groups a principal holds a role in (listGroups), one group (getGroup), and the group's
// roles as the v1 API lists them (GET /v1/group/{groupId}/roles).
import type { Group, GroupResponse, ListGroupsQuery, ListGroupsResponse } from '../schemas/group.js';
import type { GroupRecord } from '../schemas/store.js';
import type { V1Role } from '../schemas/v1.js';
import { BY_NAME, listPage } from '../snyk/pagination.js';
import { allowedActions, type Target } from '../snyk/permissions.js';
import type { Store } from '../store/store.js';
import type { Principal, Principals } from './principals.js';
import { JSONAPI } from '../snyk/json-document.js';

const toGroup = (g: GroupRecord): Group => ({ id: g.id, type: 'group', attributes: { name: g.name } });

export class Groups {
  constructor(
    private readonly store: Store,
    private readonly principals: Principals,
  ) {}

  list(p: Principal, q: ListGroupsQuery, version: string): ListGroupsResponse {
    const state = this.store.state;
    const grants = this.principals.grants(p);
    const groups = new Map<string, GroupRecord>();
    for (const g of grants) {
      const group = g.level === 'Group' ? state.get('groups', g.scopeId) : undefined;
      if (group && allowedActions(grants, { level: 'Group', id: group.id }, 'group').has('read')) groups.set(group.id, group);
    }
    const page = listPage([...groups.values()].sort(BY_NAME.compare), BY_NAME, q, { path: '/groups', version });
    return { jsonapi: JSONAPI, data: page.items.map(toGroup), links: page.links };
  }

  get(target: Target, version: string): GroupResponse {
    const g = this.store.state.get('groups', target.id)!;
    return { jsonapi: JSONAPI, data: toGroup(g), links: { self: `/groups/${g.id}?version=${encodeURIComponent(version)}` } };
  }

  /**
   * Every role a service account or member of the group can be given: Snyk's predefined roles
   * (`customRole: false`) and the custom ones. The mock keeps one set of roles for all groups.
   */
  roles(_group: Target): V1Role[] {
    return this.store.data.roles.map((r) => ({
      name: r.name,
      description: r.description,
      publicId: r.id,
      created: r.created_at,
      modified: r.updated_at,
      customRole: r.custom,
    }));
  }
}
