// Fixtures for orgs and roles: slugs (given, derived, unique), is_personal derived from group_id,
// timestamps (ISO or relative, updated_at defaulting to created_at), role descriptions and `custom`.
import t from 'tap';
import { parseFixtures, seedData, FixtureError } from '../../src/store/seed.js';
import { IDS } from '../helper.js';

const NOW = new Date('2026-01-01T12:00:00.000Z');
const G = '22222222-0000-4000-8000-000000000001';
const org = (n: number, extra: Record<string, unknown> = {}) => ({ id: `22222222-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, ...extra });
const seed = (doc: unknown) => seedData(parseFixtures(doc), { now: NOW });

t.test('orgs: slug given or derived and unique, is_personal from group_id, timestamps', async (t) => {
  const data = seed({
    groups: [{ id: G, name: 'G', tenant_id: IDS.tenant }],
    orgs: [
      org(10, { name: 'Web App', group_id: G }),
      org(11, { name: 'web app', group_id: G }),
      org(12, { name: 'Ünïcode  Org!', created_at: '-2d' }),
      org(13, { name: 'Taken', slug: 'web-app-3', access_requests_enabled: true, created_at: '2025-05-05T05:05:05Z', updated_at: '+1h' }),
      org(14, { name: '***' }),
    ],
  });
  const bySlug = data.orgs.map((o) => o.slug);
  t.same(bySlug, ['web-app', 'web-app-2', 'unicode-org', 'web-app-3', 'org'], 'derived slugs step around given ones');
  t.match(data.orgs[0], {
    is_personal: false,
    group_id: G,
    access_requests_enabled: false,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
  });
  t.match(data.orgs[2], { is_personal: true, created_at: '2025-12-30T12:00:00.000Z', updated_at: '2025-12-30T12:00:00.000Z' });
  t.notOk('group_id' in data.orgs[2]);
  t.match(data.orgs[3], { access_requests_enabled: true, created_at: '2025-05-05T05:05:05.000Z', updated_at: '2026-01-01T13:00:00.000Z' });
  t.same(data.groups[0], { id: G, name: 'G', tenant_id: IDS.tenant });

  t.throws(() => seed({ orgs: [org(1, { name: 'a', slug: 'same' }), org(2, { name: 'b', slug: 'same' })] }), {
    errors: [{ pointer: '/orgs/1/slug', detail: 'duplicate slug "same"' }],
  });
  t.throws(() => parseFixtures({ orgs: [org(1, { name: 'a', slug: 'no spaces' })] }), FixtureError);
  t.throws(() => parseFixtures({ orgs: [org(1, { name: 'a', is_personal: true })] }), FixtureError, 'is_personal is derived, not given');
});

t.test('roles: the predefined ones always there, custom ones with their description', async (t) => {
  const data = seed({
    roles: [
      { id: IDS.roles.orgAdmin, name: 'Org Admin', level: 'Org', actions: ['read', 'create', 'edit', 'delete'] },
      { id: '22222222-0000-4000-8000-0000000000c1', name: 'Reader', level: 'Org', actions: ['read'] },
      { id: '22222222-0000-4000-8000-0000000000c2', name: 'Described', level: 'Group', actions: [], description: 'words', custom: false, created_at: '-1d' },
    ],
  });
  const role = (id: string) => data.roles.find((r) => r.id === id)!;
  t.equal(data.roles.length, 6);
  t.match(role(IDS.roles.orgAdmin), { description: 'Admin', custom: false, created_at: '2021-04-22T16:02:53.233Z', updated_at: '2021-04-22T16:02:53.233Z' });
  t.match(role(IDS.roles.groupViewer), { description: 'Group Viewer', custom: false }, 'not in the fixtures, still there');
  t.match(role('22222222-0000-4000-8000-0000000000c1'), { description: 'Reader', custom: true, created_at: '2024-01-01T00:00:00.000Z' });
  t.match(role('22222222-0000-4000-8000-0000000000c2'), { description: 'words', custom: false, created_at: '2025-12-31T12:00:00.000Z' });
});
