// Store.onChange: one call per durable group commit (listing the collections it touched), one per
// replace, and none for a write whose flush failed and was rolled back.
import t from 'tap';
import { emptyData, type StoreData } from '../../src/schemas/store.js';
import { MemoryPersistence, Store, type StoreChange } from '../../src/store/store.js';

/** Memory persistence whose flushes can be held (to group writes) or made to fail. */
class ControlledPersistence extends MemoryPersistence {
  failing = false;
  held: Promise<void> | undefined;
  override async flush(): Promise<void> {
    if (this.held) await this.held;
    if (this.failing) throw new Error('disk full');
  }
}

const group = (id: string) => ({ op: 'put' as const, coll: 'groups' as const, value: { id, name: id } });
const org = (id: string) => ({ op: 'put' as const, coll: 'orgs' as const, value: { id, name: id } });

t.test('one change per group commit, none for a failed one', async (t) => {
  const persistence = new ControlledPersistence();
  const store = new Store(persistence, emptyData());
  const changes: StoreChange[] = [];
  const unsubscribe = store.onChange((c) => changes.push(c));

  await store.commit([group('g1')]);
  t.same(changes, [{ kind: 'commit', collections: ['groups'] }]);

  // the first flush is held: the two writes made meanwhile share the next one, and one call
  let release!: () => void;
  persistence.held = new Promise((r) => (release = r));
  const first = store.commit([group('g2')]);
  const second = store.commit([group('g3')]);
  const third = store.commit([org('o1')]);
  t.equal(changes.length, 1, 'nothing before the flush');
  persistence.held = undefined;
  release();
  await Promise.all([first, second, third]);
  t.same(changes.slice(1), [
    { kind: 'commit', collections: ['groups'] },
    { kind: 'commit', collections: ['groups', 'orgs'] },
  ]);

  persistence.failing = true;
  await t.rejects(store.commit([group('g4')]), /disk full/);
  t.equal(changes.length, 3, 'a rolled-back write publishes nothing');
  t.equal(store.state.get('groups', 'g4'), undefined);
  persistence.failing = false;

  const data: StoreData = { ...emptyData(), groups: [{ id: 'only', name: 'only' }] };
  await store.replace(data);
  t.same(changes[3], { kind: 'replace', collections: ['groups', 'orgs', 'roles', 'users', 'memberships', 'service_accounts', 'credentials'] });

  unsubscribe();
  await store.commit([group('g5')]);
  t.equal(changes.length, 4, 'no call after unsubscribing');
});
