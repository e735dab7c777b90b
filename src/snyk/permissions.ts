// Who may do what to service accounts. Snyk's rule (sweater-comb): a principal that cannot read the
// org/group gets 404, also for writes, so nothing leaks; one that can read but not write gets 403.
// Also the rule for giving a user a role (fixtures and the admin API alike).
import type { MembershipRecord } from '../schemas/store.js';

/** The service_account.<action> permissions; the schemas' Action union is built from this list. */
export const ALL_ACTIONS = ['read', 'create', 'edit', 'delete'] as const;
export type Action = (typeof ALL_ACTIONS)[number];

export type Level = 'Org' | 'Group';

export interface RoleDef {
  id: string;
  name: string;
  level: Level;
  /** service_account.<action> permissions the role grants */
  actions: Action[];
}

/** The built-in roles of the default fixtures; ids are the same wherever their level applies. */
export const ROLE_IDS = {
  groupAdmin: 'f1441750-d48c-40ad-8b52-eba1de03beff',
  groupViewer: '50a4d5b6-a442-4a19-a6f9-4abcc3309719',
  orgAdmin: '8f35d030-fdca-4335-827b-7c93e6426e7b',
  orgCollaborator: 'd7348460-4398-4ba8-80a4-45d5c997eac7',
} as const;

/** Role → permission table (also in the README). */
export const BUILTIN_ROLES: readonly RoleDef[] = [
  { id: ROLE_IDS.groupAdmin, name: 'Group Admin', level: 'Group', actions: [...ALL_ACTIONS] },
  { id: ROLE_IDS.groupViewer, name: 'Group Viewer', level: 'Group', actions: ['read'] },
  { id: ROLE_IDS.orgAdmin, name: 'Org Admin', level: 'Org', actions: [...ALL_ACTIONS] },
  { id: ROLE_IDS.orgCollaborator, name: 'Org Collaborator', level: 'Org', actions: [] },
];

/** A role held on one group or org. A group grant also covers every org of the group. */
export interface Grant {
  level: Level;
  scopeId: string;
  actions: readonly Action[];
}

/** The org or group an operation targets. */
export interface Target {
  level: Level;
  id: string;
  /** for an org: the group it belongs to, if any */
  groupId?: string;
}

export function allowedActions(grants: readonly Grant[], target: Target): Set<Action> {
  const out = new Set<Action>();
  for (const g of grants) {
    const covers =
      (g.level === target.level && g.scopeId === target.id) ||
      (g.level === 'Group' && target.level === 'Org' && target.groupId !== undefined && g.scopeId === target.groupId);
    if (covers) for (const a of g.actions) out.add(a);
  }
  return out;
}

export type Decision = 'allow' | 'not-found' | 'forbidden';

export function decide(allowed: ReadonlySet<Action>, action: Action): Decision {
  if (!allowed.has('read')) return 'not-found';
  return allowed.has(action) ? 'allow' : 'forbidden';
}

/** A role for a user on exactly one group (covering its orgs) or org; the role by id or by name. */
export interface GrantSpec {
  role_id?: string;
  role?: string;
  group_id?: string;
  org_id?: string;
}

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
  const role = g.role_id !== undefined ? lookup.role(g.role_id) : [...lookup.roles()].find((r) => r.level === level && r.name.toLowerCase() === g.role!.toLowerCase());
  if (!role || role.level !== level) {
    const names = [...lookup.roles()].filter((r) => r.level === level).map((r) => r.name);
    return { status: 404, field: g.role_id !== undefined ? 'role_id' : 'role', detail: `no ${level} role ${g.role_id ?? JSON.stringify(g.role)}; ${level} roles: ${names.join(', ')}` };
  }
  return { id: `${userId}:${level}:${scope}`, user_id: userId, level, scope_id: scope, role_id: role.id };
}

export const isGrantProblem = (r: MembershipRecord | GrantProblem): r is GrantProblem => 'status' in r;
