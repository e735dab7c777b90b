// The scenario runner: it deletes what it created when it fails halfway, sweeps accounts named with
// its prefix, waits out a 429, and keeps to a rate.
import t from 'tap';
import { Bucket, DEFAULT_PER_MINUTE, DOCUMENTED_PER_MINUTE, retryAfterMs, run } from '../../src/parity/runner.js';
import { IDS, TOKENS } from '../helper.js';
import { upstreamMock } from './support.js';
import { startTamper } from './tamper.js';

const opts = (base: string) => ({ base, token: TOKENS.admin, org: IDS.frontend, group: IDS.acmeGroup, perMinute: Infinity, log: () => {} });
const named = async (mock: { app: { inject(o: { url: string }): Promise<{ json(): { service_accounts: { name: string }[] } }> } }, prefix: string) =>
  (await mock.app.inject({ url: '/__admin/state' }))
    .json()
    .service_accounts.filter((a) => a.name.startsWith(prefix))
    .map((a) => a.name);

// on a busy two-core machine the recordings and replays take tens of seconds
t.setTimeout(120_000);
t.test('a failure halfway: what it created is deleted, and the sweep takes a stray account', async (t) => {
  const upstream = await upstreamMock(t);
  const prefix = 'parity-halfway';
  // an account with the prefix the run never created (a run before that could not clean up)
  const stray = await upstream.app.inject({
    method: 'POST',
    url: `/rest/orgs/${IDS.frontend}/service_accounts?version=2024-10-15`,
    headers: { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' },
    payload: { data: { type: 'service_account', attributes: { name: `${prefix}-stray`, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } },
  });
  t.equal(stray.statusCode, 201);
  let n = 0;
  let dropped = false;
  const tamper = await startTamper(t, upstream.url, (x) => {
    // the 20th exchange: the connection drops, once
    if (++n === 20 && !dropped) {
      dropped = true;
      x.status = -1;
    }
  });
  await t.rejects(run({ ...opts(tamper.url), prefix }), 'the run fails');
  t.ok(dropped);
  t.ok(
    tamper.seen.slice(0, 19).some((x) => x.method === 'POST' && x.status === 201),
    'it had created accounts',
  );
  t.ok(
    tamper.seen.slice(20).some((x) => x.method === 'DELETE' && x.status === 204),
    'then deleted them',
  );
  t.same(await named(upstream, prefix), [], 'nothing named with the prefix is left, the stray account included');
});

t.test('a 429 is waited out (retry-after) and the request sent again', async (t) => {
  const upstream = await upstreamMock(t);
  let limited = 0;
  const tamper = await startTamper(t, upstream.url, (x) => {
    if (x.path === '/rest/self' && limited++ === 0) {
      x.status = 429;
      x.headers['retry-after'] = '0';
    }
  });
  const lines: string[] = [];
  const r = await run({ ...opts(tamper.url), log: (l) => lines.push(l) });
  t.same(
    tamper.seen.slice(0, 2).map((x) => `${x.status} ${x.path}`),
    ['429 /rest/self', '200 /rest/self'],
    'the same request again',
  );
  t.ok(
    lines.some((l) => /429: waiting 0 s/.test(l)),
    'it says so',
  );
  t.equal(r.sent, tamper.seen.length);
  t.same(r.left, []);
});

t.test('the rate: under the documented limit by default; the bucket waits what the rate asks', async (t) => {
  // the default rate plus the burst the bucket allows stays under the documented limit
  t.ok(DEFAULT_PER_MINUTE + Math.floor(DEFAULT_PER_MINUTE / 60) <= DOCUMENTED_PER_MINUTE);
  let now = 0;
  const slept: number[] = [];
  const bucket = new Bucket(
    120,
    () => now,
    async (ms) => {
      slept.push(ms);
      now += ms;
    },
  );
  for (let i = 0; i < 6; i++) await bucket.take();
  // 2 a second: a burst of 2, then one every 500 ms
  t.same(slept, [500, 500, 500, 500]);
  t.equal(retryAfterMs('3'), 3000);
  t.equal(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
  t.equal(retryAfterMs('soon'), 1000);
  t.equal(retryAfterMs('99999'), 120_000);
  t.equal(retryAfterMs(undefined), 1000);
});
