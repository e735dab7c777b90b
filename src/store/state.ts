// The in-memory state every request reads: lowdb's `db.data` plus indexes that are Maps over the
// same record objects (no second copy). Changes are applied here synchronously; each returns its
// inverse so an undurable batch can be rolled back. Every operation a request makes is O(1) or
// O(log n + page) in the number of records; memory is kept low for large stores (one position map
// per collection, nested name maps without composite keys, repeated strings shared).
import { digest } from '../snyk/credentials.js';
import { BY_CREATION, BY_NAME, type Ordering } from '../snyk/pagination.js';
import type { CollectionName, Collections, CredentialRecord, MembershipRecord, OrgRecord, ServiceAccountRecord, StoreData } from '../schemas/store.js';
import { COLLECTIONS } from '../schemas/store.js';
import type { Level } from '../snyk/permissions.js';

export type Change = { [C in CollectionName]: { op: 'put'; coll: C; value: Collections[C] } }[CollectionName] | { op: 'del'; coll: CollectionName; id: string };

type AnyRecord = Collections[CollectionName];

// one sequence for every State, so a State made by a reset never repeats a number an older one used
let revisions = 0;

export const ownerKey = (level: Level, ownerId: string) => `${level}:${ownerId}`;

/** owner + name → account, as `saByName.get(\`${ownerKey}\0${name}\`)`; nested maps keyed by the record's own strings */
class NameIndex {
  private readonly byOwner = new Map<string, Map<string, ServiceAccountRecord>>();

  get(key: string): ServiceAccountRecord | undefined {
    const i = key.indexOf('\0');
    return this.byOwner.get(key.slice(0, i))?.get(key.slice(i + 1));
  }

  set(owner: string, sa: ServiceAccountRecord): void {
    let names = this.byOwner.get(owner);
    if (!names) this.byOwner.set(owner, (names = new Map()));
    names.set(sa.name, sa);
  }

  delete(owner: string, name: string): void {
    const names = this.byOwner.get(owner);
    if (!names) return;
    names.delete(name);
    if (names.size === 0) this.byOwner.delete(owner);
  }
}

/** Lists of records under a key (an owner, a group), each kept in one order for cursor pages. */
class SortedLists<T extends K, K extends { id: string } = T> {
  private readonly lists = new Map<string, T[]>();

  constructor(readonly ordering: Ordering<K>) {}

  get(key: string): readonly T[] | undefined {
    return this.lists.get(key);
  }

  /** While loading, items are appended and sorted once at the end (sortAll). */
  add(key: string, item: T, loading: boolean): void {
    let list = this.lists.get(key);
    if (!list) this.lists.set(key, (list = []));
    if (loading || list.length === 0 || this.ordering.compare(list[list.length - 1], item) < 0) list.push(item);
    else list.splice(this.ordering.lowerBound(list, this.ordering.position(item)), 0, item);
  }

  remove(key: string, item: T): void {
    const list = this.lists.get(key);
    if (!list) return;
    const i = this.ordering.lowerBound(list, this.ordering.position(item));
    if (list[i]?.id === item.id) list.splice(i, 1);
    if (list.length === 0) this.lists.delete(key);
  }

  /** Puts `next` in the place of `prev` if it sorts the same; O(log n). False if it does not. */
  replace(key: string, prev: T, next: T): boolean {
    if (this.ordering.compare(prev, next) !== 0) return false;
    const list = this.lists.get(key);
    const i = list ? this.ordering.lowerBound(list, this.ordering.position(prev)) : -1;
    if (!list || list[i] !== prev) return false;
    list[i] = next;
    return true;
  }

  sortAll(): void {
    for (const list of this.lists.values()) list.sort(this.ordering.compare);
  }
}

/** Fields whose values repeat across records: one string each instead of one per record. */
const SHARED = new Map<string, readonly string[]>([
  ['service_accounts', ['level', 'owner_id', 'auth_type', 'role_id']],
  ['credentials', ['kind', 'principal_type']],
  ['memberships', ['level', 'scope_id', 'role_id']],
]);

/**
 * One copy of each repeated string (SHARED). The loader shares each record's strings as soon as it
 * is parsed, while the copies it drops are still young (cheap to collect); the State does it again
 * for records from anywhere else (a no-op on records the loader shared: the values are the same).
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  /** Makes `r` (a record of `coll`, or anything else) use the pooled copies: same values, invisible to readers. */
  share(coll: string, r: unknown): void {
    const fields = SHARED.get(coll);
    if (!fields || r === null || typeof r !== 'object') return;
    const rec = r as Record<string, unknown>;
    for (const f of fields) {
      const v = rec[f];
      if (typeof v !== 'string') continue;
      const known = this.strings.get(v);
      if (known === undefined) this.strings.set(v, v);
      else rec[f] = known;
    }
  }
}

export class State {
  /** position of each record in its db.data array: lookups, and O(1) swap-remove */
  private readonly pos = new Map<CollectionName, Map<string, number>>();
  /** service accounts per owner, sorted by (created_at, id): list pages and cursors */
  readonly saByOwner = new SortedLists<ServiceAccountRecord, { id: string; created_at: string }>(BY_CREATION);
  /** orgs per group, alphabetical: listOrgsInGroup pages */
  readonly orgsByGroup = new SortedLists<OrgRecord, { id: string; name: string }>(BY_NAME);
  /** slug → org: slugs are unique */
  readonly orgBySlug = new Map<string, OrgRecord>();
  /** owner + name → account: names are unique per org / per group */
  readonly saByName = new NameIndex();
  readonly saByClientId = new Map<string, ServiceAccountRecord>();
  /** a principal's credentials (a handful each) */
  readonly credentialsByPrincipal = new Map<string, CredentialRecord[]>();
  readonly membershipsByUser = new Map<string, Set<MembershipRecord>>();
  private readonly strings = new StringPool();
  /**
   * Changes whenever a service account is added, changed or removed (a rollback included): what
   * cached list pages are checked against. Unique across States, so a reset invalidates them too.
   */
  saRevision = ++revisions;

  constructor(readonly data: StoreData) {
    for (const c of COLLECTIONS) {
      const positions = new Map<string, number>();
      this.pos.set(c, positions);
      const arr = data[c] as AnyRecord[];
      for (let i = 0; i < arr.length; i++) {
        this.share(c, arr[i]);
        positions.set(arr[i].id, i);
        this.indexAdd(c, arr[i], true);
      }
    }
    this.saByOwner.sortAll();
    this.orgsByGroup.sortAll();
  }

  /** Makes `r` use the shared copy of its repeated strings (same values: invisible to readers). */
  private share(coll: CollectionName, r: AnyRecord): void {
    this.strings.share(coll, r);
    if (coll === 'credentials') {
      // a service account's credential: its principal id and often its creation time are the account's
      const c = r as CredentialRecord;
      const owner = c.principal_type === 'service_account' ? this.get('service_accounts', c.principal_id) : undefined;
      if (owner) {
        c.principal_id = owner.id;
        if (c.created_at === owner.created_at) c.created_at = owner.created_at;
      }
    }
  }

  get<C extends CollectionName>(coll: C, id: string): Collections[C] | undefined {
    const i = this.pos.get(coll)!.get(id);
    return i === undefined ? undefined : (this.data[coll][i] as Collections[C]);
  }

  /**
   * The stored credential of a secret, if it is one of `kinds` (expiry is the caller's: it reads the
   * clock). Looked up by its digest, which is the record's id: timing reveals nothing of the secret,
   * and a record found under that key has that digest, so there is nothing left to compare.
   */
  findCredential(secret: string, kinds?: readonly CredentialRecord['kind'][]): CredentialRecord | undefined {
    const cred = this.get('credentials', digest(secret));
    return cred && (!kinds || kinds.includes(cred.kind)) ? cred : undefined;
  }

  count(coll: CollectionName): number {
    return this.pos.get(coll)!.size;
  }

  /** Applies one change; returns the change that undoes it. */
  apply(change: Change): Change {
    const coll = change.coll;
    const positions = this.pos.get(coll)!;
    const arr = this.data[coll] as AnyRecord[];
    const id = change.op === 'put' ? change.value.id : change.id;
    const at = positions.get(id);
    const prev = at === undefined ? undefined : arr[at];
    if (coll === 'service_accounts') this.saRevision = ++revisions;
    if (change.op === 'put') {
      const value = change.value as AnyRecord;
      this.share(coll, value);
      // an update that keeps the account's place in its owner's list (a rename) replaces it in
      // place: O(log n) instead of two splices
      if (!(prev && coll === 'service_accounts' && this.replaceInPlace(prev as ServiceAccountRecord, value as ServiceAccountRecord))) {
        if (prev) this.indexRemove(coll, prev);
        this.indexAdd(coll, value, false);
      }
      if (at !== undefined) arr[at] = value;
      else {
        positions.set(id, arr.length);
        arr.push(value);
      }
    } else if (prev) {
      this.indexRemove(coll, prev);
      const last = arr.pop()!;
      if (last !== prev) {
        arr[at!] = last;
        positions.set(last.id, at!);
      }
      positions.delete(id);
    }
    return prev ? ({ op: 'put', coll, value: prev } as Change) : { op: 'del', coll, id };
  }

  private replaceInPlace(prev: ServiceAccountRecord, next: ServiceAccountRecord): boolean {
    if (prev.level !== next.level || prev.owner_id !== next.owner_id) return false;
    const key = ownerKey(prev.level, prev.owner_id);
    if (!this.saByOwner.replace(key, prev, next)) return false;
    this.saByName.delete(key, prev.name);
    this.saByName.set(key, next);
    if (prev.client_id) this.saByClientId.delete(prev.client_id);
    if (next.client_id) this.saByClientId.set(next.client_id, next);
    return true;
  }

  private indexAdd(coll: CollectionName, r: AnyRecord, loading: boolean): void {
    if (coll === 'service_accounts') {
      const sa = r as ServiceAccountRecord;
      const key = ownerKey(sa.level, sa.owner_id);
      this.saByOwner.add(key, sa, loading);
      this.saByName.set(key, sa);
      if (sa.client_id) this.saByClientId.set(sa.client_id, sa);
    } else if (coll === 'orgs') {
      const o = r as OrgRecord;
      if (o.group_id) this.orgsByGroup.add(o.group_id, o, loading);
      this.orgBySlug.set(o.slug, o);
    } else if (coll === 'credentials') {
      const c = r as CredentialRecord;
      const list = this.credentialsByPrincipal.get(c.principal_id);
      if (list) list.push(c);
      else this.credentialsByPrincipal.set(c.principal_id, [c]);
    } else if (coll === 'memberships') {
      const m = r as MembershipRecord;
      let set = this.membershipsByUser.get(m.user_id);
      if (!set) this.membershipsByUser.set(m.user_id, (set = new Set()));
      set.add(m);
    }
  }

  private indexRemove(coll: CollectionName, r: AnyRecord): void {
    if (coll === 'service_accounts') {
      const sa = r as ServiceAccountRecord;
      const key = ownerKey(sa.level, sa.owner_id);
      this.saByOwner.remove(key, sa);
      this.saByName.delete(key, sa.name);
      if (sa.client_id) this.saByClientId.delete(sa.client_id);
    } else if (coll === 'orgs') {
      const o = r as OrgRecord;
      if (o.group_id) this.orgsByGroup.remove(o.group_id, o);
      if (this.orgBySlug.get(o.slug) === o) this.orgBySlug.delete(o.slug);
    } else if (coll === 'credentials') {
      const c = r as CredentialRecord;
      const list = this.credentialsByPrincipal.get(c.principal_id);
      const i = list ? list.indexOf(c) : -1;
      if (i !== -1) list!.splice(i, 1);
      if (list?.length === 0) this.credentialsByPrincipal.delete(c.principal_id);
    } else if (coll === 'memberships') {
      const m = r as MembershipRecord;
      const set = this.membershipsByUser.get(m.user_id);
      set?.delete(m);
      if (set?.size === 0) this.membershipsByUser.delete(m.user_id);
    }
  }
}
