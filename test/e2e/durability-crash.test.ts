// Crash safety of the real process: 1,000 creates in flight, SIGKILL, restart on the same files, and
// every create that was answered 201 is there, with its api key working; the unanswered ones are
// either wholly there or wholly absent. Runs dist/cli.js (npm test builds it first).
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { IDS, TOKENS, V } from '../helper.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

t.setTimeout(240_000);

interface Server {
  child: ChildProcess;
  url: string;
}

/** Starts the CLI on `db` with port 0; resolves with the URL it logs. */
function startServer(db: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI], {
      env: { ...process.env, SNYK_MOCK_DB: db, SNYK_MOCK_PORT: '0', SNYK_MOCK_HOST: '127.0.0.1', SNYK_MOCK_LOG_LEVEL: 'info', SNYK_MOCK_STORE: 'file' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      for (const line of out.split('\n')) {
        const m = /"url":"([^"]+)"/.exec(line);
        if (m) return resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`snyk-mock exited (${code}) before listening: ${err}`)));
  });
}

t.test('SIGKILL with 1,000 creates in flight: every acknowledged create survives', { skip: !existsSync(CLI) && 'dist/cli.js missing: npm run build' }, async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-crash-')), 'db.json');
  const first = await startServer(db);
  const dispatcher = new Agent({ connections: 64, pipelining: 1 });
  t.teardown(() => dispatcher.close());
  const path = `/rest/orgs/${IDS.frontend}/service_accounts`;
  const headers = { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' };

  const acked = new Map<string, { id: string; apiKey: string }>();
  let failed = 0;
  let answered = 0;
  const killed = new Promise<void>((resolve) => first.child.on('exit', () => resolve()));
  const creates = Array.from({ length: 1000 }, async (_, i) => {
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
      // kill while the rest are in flight
      if (answered === 300) first.child.kill('SIGKILL');
    } catch {
      failed++;
    }
  });
  await Promise.all(creates);
  await killed;
  t.ok(acked.size >= 300, `${acked.size} creates acknowledged before the kill`);
  t.ok(acked.size < 1000 || failed === 0, `${failed} creates cut off by the kill`);
  t.comment(`acknowledged ${acked.size}, cut off ${failed}`);

  const second = await startServer(db);
  t.teardown(() => second.child.kill('SIGKILL'));
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
  for (const { apiKey } of [...acked.values()].slice(0, 20)) t.equal((await get(`${path}?version=${V}&limit=10`, apiKey)).status, 200, "api key works");

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
  await new Promise<void>((resolve) => {
    second.child.on('exit', () => resolve());
    second.child.kill('SIGTERM');
  });
  const text = readFileSync(db, 'utf8');
  const doc = JSON.parse(text) as { service_accounts: { id: string; name: string }[]; credentials: { principal_id: string }[] };
  const credentialed = new Set(doc.credentials.map((c) => c.principal_id));
  const half = doc.service_accounts.filter((s) => s.name.startsWith('crash-') && !credentialed.has(s.id));
  t.same(half, [], 'every crash-* account has its api key credential (no half-written create)');
  for (const { apiKey } of acked.values()) if (text.includes(apiKey)) t.fail('api key in clear in the data file');
  t.notOk(existsSync(`${db}.log`), 'a clean shutdown leaves the JSON file only');
});
