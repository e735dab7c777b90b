// examples/service-account-workflow.mjs runs against startMockServer() as a user would run it (a
// child process, a real port) and must succeed; it must also fail, with the API's answer, when a
// step is refused.
import t from 'tap';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startMockServer } from '../../src/index.js';
import { IDS, TOKENS } from '../helper.js';

const SCRIPT = fileURLToPath(new URL('../../examples/service-account-workflow.mjs', import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

t.test('the workflow runs end to end against the mock', async (t) => {
  const mock = await startMockServer();
  t.teardown(() => mock.close());
  const before = (await mock.app.inject({ url: '/__admin/state' })).json();
  const { code, stdout, stderr } = await run({ SNYK_API_URL: mock.url, SNYK_TOKEN: mock.token!, SNYK_GROUP_ID: IDS.acmeGroup });
  t.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  t.equal(lines[0], `group ${IDS.acmeGroup}: 2 org(s)`);
  t.equal(lines[1], `role "Org Admin": ${IDS.roles.orgAdmin}`);
  t.match(lines[2], /^acme-backend: created workflow-ci \([0-9a-f-]{36}\), token ok, \/self ok, secret rotated, deleted$/);
  t.match(lines[3], /^acme-frontend: created workflow-ci /);
  t.equal(lines[4], 'done: 2 org(s)');
  t.equal(lines.length, 5);
  t.notMatch(stdout, /secret-|eyJ/, 'no secret or token printed');

  // what it did, seen from the mock: accounts came and went, their credentials are gone
  const after = (await mock.app.inject({ url: '/__admin/state' })).json();
  t.equal(after.service_accounts.length, before.service_accounts.length, 'every account it created is deleted');
  t.notOk(after.service_accounts.some((a: { name: string }) => a.name === 'workflow-ci'));
  t.equal(after.credentials.length, before.credentials.length, 'and no credential of theirs is left');
});

t.test('a refused step stops it with the API’s answer and exit code 1', async (t) => {
  const mock = await startMockServer();
  t.teardown(() => mock.close());
  const env = { SNYK_API_URL: mock.url, SNYK_GROUP_ID: IDS.acmeGroup };

  const badToken = await run({ ...env, SNYK_TOKEN: '00000000-0000-4000-8000-000000000000' });
  t.equal(badToken.code, 1);
  t.match(badToken.stderr, /GET \/rest\/groups\/[0-9a-f-]+\/orgs → 401/);

  // a Group Viewer lists orgs and roles but may not create
  const viewer = await run({ ...env, SNYK_TOKEN: TOKENS.viewer });
  t.equal(viewer.code, 1);
  t.match(viewer.stderr, /POST \/rest\/orgs\/[0-9a-f-]+\/service_accounts → 403/);

  const noRole = await run({ ...env, SNYK_TOKEN: mock.token!, SNYK_ROLE_NAME: 'Org Owner' });
  t.equal(noRole.code, 1);
  t.match(noRole.stderr, /no role named "Org Owner"/);

  // a group it holds no role in: 404 at the first call
  const otherGroup = await run({ ...env, SNYK_TOKEN: TOKENS.collaborator });
  t.equal(otherGroup.code, 1);
  t.match(otherGroup.stderr, /→ 404/);

  t.equal((await run({ SNYK_API_URL: mock.url })).code, 2, 'usage');
});
