// Who may do what: the one permissions table. Snyk's rule (sweater-comb): a principal that cannot read
// the org/group gets 404, also for writes, so nothing leaks; one that can read but not write gets 403.

/** The service_account.<action> permissions; the schemas' Action union is built from this list. */
export const ALL_ACTIONS = ['read', 'create', 'edit', 'delete'] as const;
export type Action = (typeof ALL_ACTIONS)[number];

/** The two levels a role, a service account or a grant belongs to. */
export const LEVELS = ['Group', 'Org'] as const;
export type Level = (typeof LEVELS)[number];

/** What a permission is about: the service accounts of an org/group, or the org/group itself. */
export type Subject = 'service_account' | 'org' | 'group';

export interface RoleDef {
  id: string;
  name: string;
  level: Level;
  /** service_account.<action> permissions the role grants */
  actions: Action[];
  description: string;
}

/** The built-in roles of the default fixtures; ids are the same wherever their level applies. */
const ROLE_IDS = {
  groupAdmin: 'f1441750-d48c-40ad-8b52-eba1de03beff',
  groupViewer: '50a4d5b6-a442-4a19-a6f9-4abcc3309719',
  orgAdmin: '8f35d030-fdca-4335-827b-7c93e6426e7b',
  orgCollaborator: 'd7348460-4398-4ba8-80a4-45d5c997eac7',
} as const;

/** Role → service-account permissions (also in the README); descriptions as Snyk's v1 role list shows them. */
export const BUILTIN_ROLES: readonly RoleDef[] = [
  { id: ROLE_IDS.groupAdmin, name: 'Group Admin', level: 'Group', actions: [...ALL_ACTIONS], description: 'Group Admin' },
  { id: ROLE_IDS.groupViewer, name: 'Group Viewer', level: 'Group', actions: ['read'], description: 'Group Viewer' },
  { id: ROLE_IDS.orgAdmin, name: 'Org Admin', level: 'Org', actions: [...ALL_ACTIONS], description: 'Admin' },
  { id: ROLE_IDS.orgCollaborator, name: 'Org Collaborator', level: 'Org', actions: [], description: 'Collaborator' },
];

/**
 * What a role held on a scope grants on each subject there. Service accounts: the role's own actions.
 * The org or group itself: read, whatever the role. Snyk: "View Organization is needed by default
 * for all Organization-level member roles" (Org Collaborator included), and any group role views its
 * group and lists its orgs; a group role covers every org of the group, as below.
 */
const SUBJECT_ACTIONS: Record<Subject, (roleActions: readonly Action[]) => readonly Action[]> = {
  service_account: (actions) => actions,
  org: () => ['read'],
  group: () => ['read'],
};

/** A role held on one group or org. A group grant also covers every org of the group. */
export interface Grant {
  level: Level;
  scopeId: string;
  roleId: string;
  /** the role's service-account actions */
  actions: readonly Action[];
}

/** The org or group an operation targets. */
export interface Target {
  level: Level;
  id: string;
  /** for an org: the group it belongs to, if any */
  groupId?: string;
}

/** Does a role held here apply to the target (its own scope, or an org of its group)? */
function covers(g: Grant, target: Target): boolean {
  return (
    (g.level === target.level && g.scopeId === target.id) ||
    (g.level === 'Group' && target.level === 'Org' && target.groupId !== undefined && g.scopeId === target.groupId)
  );
}

export function allowedActions(grants: readonly Grant[], target: Target, subject: Subject = 'service_account'): Set<Action> {
  const out = new Set<Action>();
  for (const g of grants) if (covers(g, target)) for (const a of SUBJECT_ACTIONS[subject](g.actions)) out.add(a);
  return out;
}

/** Snyk's name of a permission, e.g. org.service_account.create, group.read. */
export function permissionName(level: Level, subject: Subject, action: Action): string {
  return subject === 'service_account' ? `${level.toLowerCase()}.service_account.${action}` : `${level.toLowerCase()}.${action}`;
}

export type Decision = 'allow' | 'not-found' | 'forbidden';

export function decide(allowed: ReadonlySet<Action>, action: Action): Decision {
  if (!allowed.has('read')) return 'not-found';
  return allowed.has(action) ? 'allow' : 'forbidden';
}
