// Giving a user a role (fixtures and the admin API alike): a grant names one group or org and one
// role of that level; it becomes a membership record of the store.
import type { Level, RoleDef } from '../snyk/permissions.js';
import type { GrantSpec } from './admin.js';
import type { MembershipRecord } from './store.js';

/** What resolving a grant needs to know of the store. */
export interface GrantLookup {
  hasScope(level: Level, id: string): boolean;
  role(id: string): RoleDef | undefined;
  roles(): Iterable<RoleDef>;
}

/** Why a grant cannot be given: `field` is the member at fault (none: the grant as a whole). */
export interface GrantProblem {
  status: 400 | 404;
  field?: keyof GrantSpec;
  detail: string;
}

/**
 * The membership a grant gives `userId`, or the problem with it: exactly one of group_id / org_id,
 * naming one that exists; exactly one of role_id / role (a name, any case), naming a role of that level.
 */
export function resolveGrant(userId: string, g: GrantSpec, lookup: GrantLookup): MembershipRecord | GrantProblem {
  if (!g.group_id === !g.org_id) return { status: 400, detail: 'give exactly one of group_id or org_id' };
  const level: Level = g.group_id ? 'Group' : 'Org';
  const scope = (g.group_id ?? g.org_id)!;
  if (!lookup.hasScope(level, scope)) return { status: 404, field: level === 'Group' ? 'group_id' : 'org_id', detail: `no ${level.toLowerCase()} ${scope}` };
  if (!g.role_id === !g.role) return { status: 400, detail: 'give exactly one of role_id or role' };
  const role =
    g.role_id !== undefined ? lookup.role(g.role_id) : [...lookup.roles()].find((r) => r.level === level && r.name.toLowerCase() === g.role!.toLowerCase());
  if (!role || role.level !== level) {
    const names = [...lookup.roles()].filter((r) => r.level === level).map((r) => r.name);
    return {
      status: 404,
      field: g.role_id !== undefined ? 'role_id' : 'role',
      detail: `no ${level} role ${g.role_id ?? JSON.stringify(g.role)}; ${level} roles: ${names.join(', ')}`,
    };
  }
  return { id: `${userId}:${level}:${scope}`, user_id: userId, level, scope_id: scope, role_id: role.id };
}

export const isGrantProblem = (r: MembershipRecord | GrantProblem): r is GrantProblem => 'status' in r;
