// Lone UTF-16 surrogates (`"sur\ud800rogate"`) become U+FFFD where they come in, as Go's
// encoding/json decodes them, so every way out is JSON a strict parser takes (UTF-8 that a fatal
// decoder reads, no lone surrogate in any string or member name): REST GET and list, the admin
// state and overview, the data file, the change log, the journal and the event stream. Inputs: JSON
// bodies (/rest, /__admin), forms, client assertions, query strings, fixtures documents.
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../src/app.js';
import { DEFAULT_FIXTURES } from '../../src/settings/config.js';
import { buildApp, call, IDS, orgPath, testSettings, V } from '../helper.js';
import { listen, open, pool, until } from '../support/sse.js';
import { assertionForm, CLIENTS, DEMO_KID, oauthPost } from '../support/oauth.js';
import { linesProblem, strictJsonProblem, strictUtf8 } from '../support/strict-json.js';

const R = '\uFFFD';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

t.test('lone surrogates in, strict JSON out on every way out', async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-surrogates-')), 'db.json');
  const app = await build(testSettings({ store: 'file', db }), { logger: false });
  let closed = false;
  t.teardown(() => (closed ? undefined : app.close()));
  const stream = await open(await listen(app), pool(t));
  t.teardown(() => stream.abort());

  const problems: string[] = [];
  const check = (what: string, output: Uint8Array | string) => {
    const problem = strictJsonProblem(output);
    if (problem) problems.push(`${what}: ${problem}`);
  };

  // REST: a create and a rename, as JSON text with \uXXXX escapes (a pair is kept as it is)
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: `{"data":{"type":"service_account","attributes":{"name":"sur\\ud800rogate","role_id":"${IDS.roles.orgAdmin}","auth_type":"api_key"}}}`,
  });
  t.equal(created.statusCode, 201, created.body);
  check('create', created.rawPayload);
  t.equal(created.json().data.attributes.name, `sur${R}rogate`, 'U+FFFD, as Go decodes it');
  const id = created.json().data.id as string;
  const renamed = await call(app, {
    method: 'PATCH',
    url: `${orgPath(IDS.frontend, id)}?version=${V}`,
    payload: `{"data":{"type":"service_account","id":"${id}","attributes":{"name":"low\\udc00 high\\udbff pair\\ud83d\\ude00"}}}`,
  });
  t.equal(renamed.statusCode, 200, renamed.body);
  t.equal(renamed.json().data.attributes.name, `low${R} high${R} pair😀`);
  const refused = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: `{"data":{"type":"service_account","attributes":{"name":"x","role_id":"${IDS.roles.orgAdmin}","auth_type":"api_key","\\ud800":1}}}`,
  });
  t.equal(refused.statusCode, 400);
  t.match(refused.json().errors[0].detail, `/data/attributes/${R}`, 'an error that names the member names it as read');
  check('REST error', refused.rawPayload);

  // admin: a group and a user (member names too), each body as text
  const post = (route: string, payload: string) =>
    app.inject({ method: 'POST', url: `/__admin/${route}`, headers: { 'content-type': 'application/json' }, payload });
  const group = await post('groups', '{"name":"g\\ud800"}');
  t.equal(group.json().name, `g${R}`);
  check('admin group', group.rawPayload);
  const user = await post('users', '{"name":"u\\udfff"}');
  t.equal(user.json().user?.name ?? user.json().name, `u${R}`);
  const topLevel = await post('seed', '"\\ud800"');
  t.equal(topLevel.statusCode, 400, 'a body that is one string is read, then refused as no document');
  check('admin seed error', topLevel.rawPayload);
  const unknown = await post('orgs', '{"name":"o","\\udfff\\ud800":1}');
  t.equal(unknown.statusCode, 400);
  check('admin error', unknown.rawPayload);

  // OAuth: a form value that percent-decodes to no UTF-8, and a client assertion whose header holds one
  const form = await oauthPost(app, 'token', 'grant_type=client_credentials&client_id=%ED%A0%80&client_secret=s');
  t.equal(form.statusCode, 401);
  check('OAuth form error', form.rawPayload);
  const claims = b64(JSON.stringify({ iss: CLIENTS.frontendSigner.id, sub: CLIENTS.frontendSigner.id, exp: 9_999_999_999, jti: 'j' }));
  // (jose quotes the last one in its own message)
  for (const header of [
    '{"alg":"RS256","kid":"k\\ud800"}',
    '{"alg":"\\udc00","kid":"k"}',
    `{"alg":"RS256","kid":"${DEMO_KID}","crit":["x\\ud800"],"x\\ud800":1}`,
  ]) {
    const res = await oauthPost(app, 'token', assertionForm(`${b64(header)}.${claims}.${b64('sig')}`));
    t.equal(res.statusCode, 401);
    t.match(res.json().error_description, R, 'quoted as read');
    check(`OAuth assertion ${header}`, res.rawPayload);
  }

  // a query string whose value percent-decodes to no UTF-8 (echoed in the list's links)
  const filtered = await call(app, { url: `/rest/orgs?version=${V}&name=%ED%A0%80` });
  t.equal(filtered.statusCode, 200);
  check('filtered list', filtered.rawPayload);

  // every way out
  check('GET', (await call(app, { url: `${orgPath(IDS.frontend, id)}?version=${V}` })).rawPayload);
  check('list', (await call(app, { url: `${orgPath()}?version=${V}&limit=100` })).rawPayload);
  const state = await app.inject({ url: '/__admin/state' });
  check('state', state.rawPayload);
  t.ok(state.body.includes(`low${R} high${R} pair😀`), 'the state holds the name as read');
  check('overview', (await app.inject({ url: `/__admin/overview?org_id=${IDS.frontend}` })).rawPayload);
  const journal = await app.inject({ url: '/__admin/requests' });
  check('journal', journal.rawPayload);
  t.equal(
    journal.json().requests.find((r: { method: string }) => r.method === 'PATCH').body.data.attributes.name,
    `low${R} high${R} pair😀`,
    'the journal keeps the body as read, not as sent',
  );
  const log = readFileSync(`${db}.log`);
  const logText = strictUtf8(log);
  t.ok(logText, 'the change log is UTF-8');
  const logProblem = linesProblem(logText ?? '', 9);
  if (logProblem) problems.push(`change log: ${logProblem}`);
  t.ok(logText?.includes(`sur${R}rogate`), 'the change log holds the name');
  await until(() => stream.messages.some((m) => m.event === 'request' && m.data.includes('"path":"/rest/orgs"')));
  for (const m of stream.messages) check(`event ${m.id} (${m.event})`, m.data);
  t.ok(stream.messages.length >= 5, `${stream.messages.length} events`);

  // the data file, as compaction at close writes it
  await app.close();
  closed = true;
  const file = readFileSync(db);
  check('db.json', file);
  t.ok(file.toString('utf8').includes(`low${R} high${R} pair😀`), 'the data file holds the name as read');
  t.same(problems, [], 'nothing emitted that a strict parser refuses');
});

t.test('fixtures with lone surrogates: seeded through POST /__admin/seed and in-process, read as U+FFFD', async (t) => {
  const text = readFileSync(DEFAULT_FIXTURES, 'utf8');
  const app = await buildApp(t);
  const seeded = await app.inject({
    method: 'POST',
    url: '/__admin/seed',
    headers: { 'content-type': 'application/json' },
    payload: text.replace('"Acme Group"', '"Acme\\ud800 Group"'),
  });
  t.equal(seeded.statusCode, 200, seeded.body);
  const state = await app.inject({ url: '/__admin/state' });
  t.equal(strictJsonProblem(state.rawPayload), undefined);
  t.ok(state.body.includes(`Acme${R} Group`));

  const fixtures = JSON.parse(text);
  fixtures.groups[0].name = 'Acme\uD800 Group';
  const embedded = await buildApp(t, { fixtures });
  const tree = await embedded.inject({ url: '/__admin/overview' });
  t.equal(strictJsonProblem(tree.rawPayload), undefined);
  t.ok(tree.body.includes(`"Acme${R} Group"`), tree.body.slice(0, 300));
  t.equal(fixtures.groups[0].name, 'Acme\uD800 Group', "the caller's document is not changed");
});
