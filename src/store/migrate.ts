// Data files from earlier snyk-mock versions still open: each schemaVersion step upgrades the records
// of the JSON document and of a change log written at that version, and the store then rewrites both
// at the current version (store/open.ts). Defaults come from records.ts, as for fixtures.
import { SCHEMA_VERSION } from '../schemas/store.js';
import { orgRecord, roleRecord, type OrgInput, type RoleInput } from './records.js';

/** The oldest schemaVersion this snyk-mock can still read. */
const OLDEST_SCHEMA_VERSION = 1;

type Rec = Record<string, unknown>;

/** What upgrading needs to know beyond one record: the slugs already taken. */
export interface MigrationContext {
  slugs: Set<string>;
}

/** Whether this snyk-mock reads a file of schemaVersion `v` (as it is, or by migrating it). */
export const readableVersion = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= OLDEST_SCHEMA_VERSION && (v as number) <= SCHEMA_VERSION;

export const READABLE_VERSIONS = `${OLDEST_SCHEMA_VERSION} to ${SCHEMA_VERSION}`;

/**
 * Step from version n to n + 1, per record. A record that lacks what the step reads is left as it
 * is: the schema check after migration reports it with its path.
 */
const STEPS: Record<number, (coll: string, r: Rec, ctx: MigrationContext) => Rec> = {
  // 1 → 2: orgs gain slug, is_personal, access_requests_enabled, created_at, updated_at; roles gain
  // description, custom, created_at, updated_at
  1: (coll, r, ctx) => {
    if (coll === 'orgs' && typeof r.name === 'string') {
      const org = orgRecord(r as unknown as OrgInput, (s) => ctx.slugs.has(s));
      ctx.slugs.add(org.slug);
      return org;
    }
    if (coll === 'roles' && Array.isArray(r.actions)) return roleRecord(r as unknown as RoleInput);
    return r;
  },
};

function upgradeRecord(coll: string, r: unknown, from: number, ctx: MigrationContext): unknown {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return r;
  let out = r as Rec;
  for (let v = from; v < SCHEMA_VERSION; v++) out = STEPS[v](coll, out, ctx);
  return out;
}

/** Upgrades a JSON document of an older schemaVersion (its collections' records); other members are kept. */
export function migrateDocument(doc: Rec): Rec {
  const from = doc.schemaVersion as number;
  const ctx: MigrationContext = { slugs: new Set() };
  const out: Rec = { ...doc, schemaVersion: SCHEMA_VERSION };
  for (const [coll, list] of Object.entries(doc)) {
    if (Array.isArray(list)) out[coll] = list.map((r) => upgradeRecord(coll, r, from, ctx));
  }
  return out;
}

/** Upgrades one logged transaction (a list of changes) written at schemaVersion `from`. */
export function migrateTransaction(t: unknown[], from: number, ctx: MigrationContext): unknown[] {
  return t.map((c) => {
    if (c === null || typeof c !== 'object') return c;
    const { op, coll, value } = c as { op?: unknown; coll?: unknown; value?: unknown };
    if (op !== 'put' || typeof coll !== 'string') return c;
    return { ...c, value: upgradeRecord(coll, value, from, ctx) };
  });
}
