// Who may do what to service accounts. Snyk's rule (sweater-comb): a principal that cannot read the
// org/group gets 404, also for writes, so nothing leaks; one that can read but not write gets 403.

export type Action = 'read' | 'create' | 'edit' | 'delete';
export const ALL_ACTIONS: readonly Action[] = ['read', 'create', 'edit', 'delete'];

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
