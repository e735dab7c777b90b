// Crash safety of the real process: 1,000 creates in flight, SIGKILL, restart on the same files, and
// every create that was answered 201 is there, with its api key working; the unanswered ones are
// either wholly there or wholly absent. Runs src/cli.ts in a child process.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { IDS, TOKENS, V } from '../helper.js';
import { startCli, stop } from '../support/process.js';

t.setTimeout(240_000);

/** The CLI on `db` with port 0. */
const startServer = (db: string) =>
  startCli([], { SNYK_MOCK_DB: db, SNYK_MOCK_PORT: '0', SNYK_MOCK_HOST: '127.0.0.1', SNYK_MOCK_LOG_LEVEL: 'info', SNYK_MOCK_STORE: 'file' });

const CREATES = 1000;
const CONNECTIONS = 64;

t.test('SIGKILL with 1,000 creates in flight: every acknowledged create survives', async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-crash-')), 'db.json');
  const first = await startServer(db);
  const dispatcher = new Agent({ connections: CONNECTIONS, pipelining: 1 });
  t.teardown(() => dispatcher.close());
  const path = `/rest/orgs/${IDS.frontend}/service_accounts`;
  const headers = { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' };

  const acked = new Map<string, { id: string; apiKey: string }>();
  let failed = 0;
  let answered = 0;
  let answeredAtKill = 0;
  const killed = new Promise<void>((resolve) => first.child.on('exit', () => resolve()));
  const creates = Array.from({ length: CREATES }, async (_, i) => {
    const name = `crash-${i}`;
    try {
      const res = await request(`${first.url}${path}?version=${V}`, {
        method: 'POST',
        dispatcher,
        headers,
        body: JSON.stringify({ data: { type: 'service_account', attributes: { name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } }),
      });
      const body = (await res.body.json()) as { data: { id: string; attributes: { api_key: string } } };
      answered++;
      if (res.statusCode === 201) acked.set(name, { id: body.data.id, apiKey: body.data.attributes.api_key });
      // kill while the rest are in flight: at most CONNECTIONS are on the wire at any time, the
      // others wait in the client's queue, so hundreds are certain to be cut off
      if (answered === 300) {
        answeredAtKill = answered;
        first.child.kill('SIGKILL');
      }
    } catch {
      failed++;
    }
  });
  await Promise.all(creates);
  await killed;
  t.equal(answeredAtKill, 300, 'the kill came after 300 answers');
  t.equal(answered + failed, CREATES, 'every create was answered or cut off');
  t.ok(acked.size >= 300, `${acked.size} creates acknowledged before the kill`);
  t.ok(failed >= CREATES - 300 - CONNECTIONS, `${failed} creates cut off by the kill: it interrupted the run, not its end`);
  t.comment(`acknowledged ${acked.size}, cut off ${failed}`);

  const second = await startServer(db);
  t.teardown(() => stop(second.child, 'SIGKILL'));
  const get = async (url: string, token: string = TOKENS.admin) => {
    const res = await request(`${second.url}${url}`, { dispatcher, headers: { authorization: `token ${token}` } });
    return { status: res.statusCode, body: (await res.body.json()) as { data: unknown } };
  };
  let missing = 0;
  for (const [name, { id }] of acked) {
    const res = await get(`${path}/${id}?version=${V}`);
    if (res.status !== 200 || (res.body.data as { attributes: { name: string } }).attributes.name !== name) missing++;
  }
  t.equal(missing, 0, `all ${acked.size} acknowledged creates are there after the restart`);
  // spot-check that the credentials came back with their accounts
  for (const { apiKey } of [...acked.values()].slice(0, 20)) t.equal((await get(`${path}?version=${V}&limit=10`, apiKey)).status, 200, 'api key works');

  // unacknowledged creates: wholly there (account and its credential) or absent, never half
  const accounts: { id: string; attributes: { name: string } }[] = [];
  let next: string | undefined = `${path}?version=${V}&limit=100`;
  while (next) {
    const page = (await get(next)).body as unknown as { data: typeof accounts; links: { next?: string } };
    accounts.push(...page.data);
    next = page.links.next && `/rest${page.links.next}`;
  }
  const byName = new Map(accounts.map((a) => [a.attributes.name, a.id]));
  t.equal(new Set(accounts.map((a) => a.attributes.name)).size, accounts.length, 'no duplicate names');
  for (const [name, { id }] of acked) t.equal(byName.get(name), id, `${name} listed`);

  // the data files: the JSON file parses, and the log holds no secrets in clear
  t.equal(await stop(second.child), 0, 'a clean shutdown');
  const text = readFileSync(db, 'utf8');
  const doc = JSON.parse(text) as { service_accounts: { id: string; name: string }[]; credentials: { principal_id: string }[] };
  const credentialed = new Set(doc.credentials.map((c) => c.principal_id));
  const half = doc.service_accounts.filter((s) => s.name.startsWith('crash-') && !credentialed.has(s.id));
  t.same(half, [], 'every crash-* account has its api key credential (no half-written create)');
  for (const { apiKey } of acked.values()) if (text.includes(apiKey)) t.fail('api key in clear in the data file');
  t.notOk(existsSync(`${db}.log`), 'a clean shutdown leaves the JSON file only');
});
