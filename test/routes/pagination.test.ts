// Cursor pagination through HTTP: forwards and back, stable while accounts are inserted and deleted
// between pages, with links in Snyk's form (relative to /rest, carrying version and limit).
import t from 'tap';
import { buildApp, call, createBody, IDS, V } from '../helper.js';

const group = `/rest/groups/${IDS.acmeGroup}/service_accounts`;
type Page = { data: { id: string; attributes: { name: string } }[]; links: Record<string, string> };

t.test('forwards and backwards with inserts and deletes in between', async (t) => {
  const app = await buildApp(t);
  const create = async (name: string) =>
    (
      await call(app, { method: 'POST', url: `${group}?version=${V}`, payload: createBody({ name, role_id: IDS.roles.groupAdmin, auth_type: 'api_key' }) })
    ).json().data.id as string;
  for (let i = 0; i < 25; i++) await create(`page-${String(i).padStart(2, '0')}`);
  const get = async (link: string): Promise<Page> => {
    const res = await call(app, { url: `/rest${link}` });
    t.equal(res.statusCode, 200, link);
    return res.json();
  };

  const first = await get(`/groups/${IDS.acmeGroup}/service_accounts?version=${V}&limit=10`);
  t.equal(first.data.length, 10);
  t.same(Object.keys(first.links).sort(), ['first', 'next', 'self']);
  t.match(first.links.next, new RegExp(`^/groups/${IDS.acmeGroup}/service_accounts\\?version=${V}&limit=10&starting_after=v1\\.`));
  t.equal(first.links.self, `/groups/${IDS.acmeGroup}/service_accounts?version=${V}&limit=10`);

  // inserts land at the end of the order; a delete removes one already seen
  await create('inserted-late');
  const seen = first.data.map((d) => d.id);
  t.equal((await call(app, { method: 'DELETE', url: `${group}/${seen[3]}?version=${V}` })).statusCode, 204);

  const second = await get(first.links.next);
  t.equal(second.data.length, 10);
  t.notOk(
    second.data.some((d) => seen.includes(d.id)),
    'no item repeats across pages',
  );
  t.ok(second.links.prev && second.links.next);
  const third = await get(second.links.next);
  const fourth = third.links.next ? await get(third.links.next) : { data: [], links: {} as Record<string, string> };
  const all = [...first.data, ...second.data, ...third.data, ...fourth.data].map((d) => d.attributes.name);
  t.equal(new Set(all).size, all.length, 'no duplicates');
  t.ok(all.includes('inserted-late'), 'an account inserted during paging is reached');
  t.equal(all.filter((n) => n.startsWith('page-')).length, 25, 'every account present at the start is seen exactly once');
  t.notOk((fourth.data.length ? fourth : third).links.next, 'no next link on the last page');

  // back from the second page: the first page minus the deleted account
  const back = await get(second.links.prev);
  t.same(
    back.data.map((d) => d.id),
    seen.filter((_, i) => i !== 3).slice(-10),
  );
  t.match(back.links.self, /ending_before=v1\./);

  // list order is created_at then id
  const listed = (await get(`/groups/${IDS.acmeGroup}/service_accounts?version=${V}&limit=100`)).data;
  const keys = listed.map((d) => (d as unknown as { attributes: { created_at: string } }).attributes.created_at + d.id);
  t.same(keys, [...keys].sort(), 'ordered by (created_at, id)');

  const both = await call(app, {
    url: `${group}?version=${V}&starting_after=${encodeURIComponent(first.links.next.split('starting_after=')[1])}&ending_before=x`,
  });
  t.equal(both.statusCode, 400, 'starting_after and ending_before together');
});
