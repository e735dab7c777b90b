// The in-memory state every request reads: lowdb's `db.data` plus indexes that are Maps over the
// same record objects (no second copy). Changes are applied here synchronously; each returns its
// inverse so an undurable batch can be rolled back.
import { compareKeys, lowerBound } from '../snyk/pagination.js';
import type { CollectionName, Collections, CredentialRecord, MembershipRecord, ServiceAccountRecord, StoreData } from '../schemas/store.js';
import { COLLECTIONS } from '../schemas/store.js';

export type Change =
  | { [C in CollectionName]: { op: 'put'; coll: C; value: Collections[C] } }[CollectionName]
  | { op: 'del'; coll: CollectionName; id: string };

type AnyRecord = Collections[CollectionName];

export const ownerKey = (level: 'Org' | 'Group', ownerId: string) => `${level}:${ownerId}`;

export class State {
  private readonly byId = new Map<CollectionName, Map<string, AnyRecord>>();
  /** position of each record in its db.data array, for O(1) swap-remove */
  private readonly pos = new Map<CollectionName, Map<string, number>>();
  /** service accounts per owner, sorted by (created_at, id): list pages and cursors */
  readonly saByOwner = new Map<string, ServiceAccountRecord[]>();
  /** owner + name → account: names are unique per org / per group */
  readonly saByName = new Map<string, ServiceAccountRecord>();
  readonly saByClientId = new Map<string, ServiceAccountRecord>();
  readonly credentialsByPrincipal = new Map<string, Set<CredentialRecord>>();
  readonly membershipsByUser = new Map<string, Set<MembershipRecord>>();

  constructor(readonly data: StoreData) {
    for (const c of COLLECTIONS) {
      this.byId.set(c, new Map());
      this.pos.set(c, new Map());
      const arr = data[c] as AnyRecord[];
      for (let i = 0; i < arr.length; i++) {
        this.byId.get(c)!.set(arr[i].id, arr[i]);
        this.pos.get(c)!.set(arr[i].id, i);
        this.indexAdd(c, arr[i], true);
      }
    }
    for (const list of this.saByOwner.values()) list.sort(compareKeys);
  }

  get<C extends CollectionName>(coll: C, id: string): Collections[C] | undefined {
    return this.byId.get(coll)!.get(id) as Collections[C] | undefined;
  }

  count(coll: CollectionName): number {
    return this.byId.get(coll)!.size;
  }

  /** Applies one change; returns the change that undoes it. */
  apply(change: Change): Change {
    const coll = change.coll;
    const ids = this.byId.get(coll)!;
    const positions = this.pos.get(coll)!;
    const arr = this.data[coll] as AnyRecord[];
    const id = change.op === 'put' ? change.value.id : change.id;
    const prev = ids.get(id);
    if (prev) this.indexRemove(coll, prev);
    if (change.op === 'put') {
      const value = change.value as AnyRecord;
      if (prev) arr[positions.get(id)!] = value;
      else {
        positions.set(id, arr.length);
        arr.push(value);
      }
      ids.set(id, value);
      this.indexAdd(coll, value, false);
    } else if (prev) {
      const i = positions.get(id)!;
      const last = arr.pop()!;
      if (last !== prev) {
        arr[i] = last;
        positions.set(last.id, i);
      }
      positions.delete(id);
      ids.delete(id);
    }
    return prev ? ({ op: 'put', coll, value: prev } as Change) : { op: 'del', coll, id };
  }

  private indexAdd(coll: CollectionName, r: AnyRecord, loading: boolean): void {
    if (coll === 'service_accounts') {
      const sa = r as ServiceAccountRecord;
      const key = ownerKey(sa.level, sa.owner_id);
      let list = this.saByOwner.get(key);
      if (!list) this.saByOwner.set(key, (list = []));
      if (loading || list.length === 0 || compareKeys(list[list.length - 1], sa) < 0) list.push(sa);
      else list.splice(lowerBound(list, sa), 0, sa);
      this.saByName.set(`${key}\0${sa.name}`, sa);
      if (sa.client_id) this.saByClientId.set(sa.client_id, sa);
    } else if (coll === 'credentials') {
      const c = r as CredentialRecord;
      let set = this.credentialsByPrincipal.get(c.principal_id);
      if (!set) this.credentialsByPrincipal.set(c.principal_id, (set = new Set()));
      set.add(c);
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
      const list = this.saByOwner.get(key);
      if (list) {
        const i = lowerBound(list, sa);
        if (list[i]?.id === sa.id) list.splice(i, 1);
        if (list.length === 0) this.saByOwner.delete(key);
      }
      this.saByName.delete(`${key}\0${sa.name}`);
      if (sa.client_id) this.saByClientId.delete(sa.client_id);
    } else if (coll === 'credentials') {
      const c = r as CredentialRecord;
      const set = this.credentialsByPrincipal.get(c.principal_id);
      set?.delete(c);
      if (set?.size === 0) this.credentialsByPrincipal.delete(c.principal_id);
    } else if (coll === 'memberships') {
      const m = r as MembershipRecord;
      const set = this.membershipsByUser.get(m.user_id);
      set?.delete(m);
      if (set?.size === 0) this.membershipsByUser.delete(m.user_id);
    }
  }
}
