// The vervet rules as a table, from the facts sheet (vervet versionware/handler_test.go cases).
import t from 'tap';
import { RELEASES, releaseTable, resolveVersion } from '../../src/snyk/versions.js';

const vervet = releaseTable(['2021-08-01~beta', '2021-09-01', '2021-10-01', '2021-11-01', '2024-10-15', '2024-10-20']);
const TODAY = '2026-11-23';

t.test('vervet handler_test cases', async (t) => {
  const cases: [string | undefined, string | number][] = [
    ['2021-08-31', 404],
    [undefined, 400],
    ['', 400],
    ['bad wolf', 400],
    ['2021-09-16', '2021-09-01'],
    ['2021-08-01~beta', '2021-08-01~beta'],
    ['2021-09-01~beta', '2021-09-01'],
    ['2023-02-05', '2021-11-01'],
    ['2024-10-14~beta', '2021-11-01'],
    ['2024-10-14~experimental', '2021-11-01'],
    ['2024-10-16', '2024-10-15'],
    ['2024-10-20~beta', 404],
    ['2024-10-20~experimental', 404],
  ];
  for (const [requested, expected] of cases) {
    const r = resolveVersion(requested, vervet, TODAY);
    if (typeof expected === 'number') t.match(r, { ok: false, status: expected }, `${requested} → ${expected}`);
    else t.match(r, { ok: true, served: expected }, `${requested} → ${expected}`);
  }
});

t.test('beta-only resource after the pivot resolves to the latest beta, then the new GA', async (t) => {
  const betaOnly = releaseTable(['2024-10-15~beta', '2024-10-20~beta', '2024-10-25']);
  t.match(resolveVersion('2024-10-15', betaOnly, TODAY), {
    ok: true,
    served: '2024-10-15~beta',
    stage: 'sunset',
    deprecation: '2024-10-20T00:00:00Z',
    sunset: '2025-01-19',
  });
  t.match(resolveVersion('2024-10-21', betaOnly, TODAY), { ok: true, served: '2024-10-20~beta' });
  t.match(resolveVersion('2024-10-26', betaOnly, TODAY), { ok: true, served: '2024-10-25', stage: 'ga' });
});

t.test('format and date checks', async (t) => {
  const sa = RELEASES.service_accounts;
  t.match(resolveVersion('2024-02-30', sa, TODAY), { ok: false, status: 400 }, 'a date that does not exist');
  t.match(resolveVersion('beta', sa, TODAY), { ok: false, status: 400 }, 'no date: the spec pattern allows it, vervet does not');
  t.match(resolveVersion('2024-10-15~work-in-progress', sa, TODAY), { ok: false, status: 400 });
  t.match(resolveVersion('2024-10-15~ga', sa, TODAY), { ok: false, status: 400 }, 'not in the spec pattern');
  t.match(resolveVersion('2026-11-24', sa, TODAY), { ok: false, status: 400, detail: /newer than present date/ }, 'tomorrow');
  t.match(resolveVersion('2026-11-23', sa, TODAY), { ok: true, served: '2023-09-07' }, 'today is allowed');
});

t.test('service accounts: first release 2023-09-07 (GA)', async (t) => {
  const sa = RELEASES.service_accounts;
  t.match(resolveVersion('2023-09-06', sa, TODAY), { ok: false, status: 404 });
  t.match(resolveVersion('2023-09-07', sa, TODAY), { ok: true, requested: '2023-09-07', served: '2023-09-07', stage: 'ga' });
  t.match(
    resolveVersion('2024-01-01~beta', sa, TODAY),
    { ok: true, requested: '2024-01-01~beta', served: '2023-09-07' },
    'a suffix before the pivot resolves to GA',
  );
  t.match(resolveVersion('2024-10-15~beta', sa, TODAY), { ok: false, status: 404 }, 'a suffix on or after the pivot');
  t.match(resolveVersion('2025-11-05', sa, TODAY), { ok: true, served: '2023-09-07' });
});

t.test('/self: experimental releases, then GA 2024-04-22', async (t) => {
  const self = RELEASES.self;
  t.match(resolveVersion('2023-01-01', self, TODAY), { ok: false, status: 404 }, 'no GA yet');
  const exp = resolveVersion('2023-01-01~experimental', self, TODAY);
  t.match(exp, { ok: true, served: '2022-09-14~experimental', stage: 'sunset' }, 'superseded and past its sunset');
  t.match(resolveVersion('2024-04-22', self, TODAY), { ok: true, served: '2024-04-22', stage: 'ga' });
});
