// The admin guard against a real browser (headless Chromium): a page of another origin that posts a
// form to /__admin/reset, or fetches it in no-cors mode, changes nothing; a name re-pointed at
// 127.0.0.1 (DNS rebinding, simulated with Chromium's host resolver rules) gets a 403 from /__admin;
// the dashboard's own same-origin fetch still resets.
import t from 'tap';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockServer } from '../../src/index.js';
import { IDS, V } from '../helper.js';
import { findChrome, launch, NO_CHROME } from '../support/browser.js';
import type { Tap } from '../support/oauth.js';
import { until } from '../support/sse.js';

const chrome = findChrome();

async function run(t: Tap, executablePath: string) {
  const mock = await startMockServer({});
  t.teardown(() => mock.close());
  const names = async () =>
    ((await (await fetch(`${mock.url}/__admin/state`)).json()) as { service_accounts: { name: string }[] }).service_accounts.map((a) => a.name);
  const created = await fetch(`${mock.url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, {
    method: 'POST',
    headers: { authorization: `token ${mock.token}`, 'content-type': 'application/vnd.api+json' },
    body: JSON.stringify({ data: { type: 'service_account', attributes: { name: 'survives', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } }),
  });
  t.equal(created.status, 201);

  // the attacker's page, on another port of 127.0.0.1 (same site, another origin)
  const attacker = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(
      `<form id=f method=POST action="${mock.url}/__admin/reset"></form>` +
        `<script>fetch(${JSON.stringify(`${mock.url}/__admin/reset`)}, { method: 'POST', mode: 'no-cors' }).finally(() => document.getElementById('f').submit())</script>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => attacker.close(resolve)));
  const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;

  const chromium = await launch(executablePath, ['--host-resolver-rules=MAP rebound.test 127.0.0.1']);
  t.teardown(() => chromium.close());
  const page = await chromium.browser.newPage();
  const statuses: number[] = [];
  page.on('response', (r) => {
    if (r.url().endsWith('/__admin/reset')) statuses.push(r.status());
  });

  // the page loads, fetches, then submits its form: the form's answer is the page it lands on
  await page.goto(attackerUrl);
  await until(() => statuses.length >= 2);
  await page.waitForFunction(() => location.pathname === '/__admin/reset' && document.readyState === 'complete');
  t.equal(page.url(), `${mock.url}/__admin/reset`, 'the form was submitted');
  t.same(statuses, [403, 403], 'the fetch and the form post: both refused');
  t.match(await page.evaluate(() => document.body.innerText), /refuses changes from a page of another origin/);
  t.ok((await names()).includes('survives'), 'no reset happened');

  // DNS rebinding: the browser calls the mock by the attacker's name
  const port = new URL(mock.url).port;
  const rebound = await page.goto(`http://rebound.test:${port}/__admin/state`);
  t.equal(rebound?.status(), 403);
  t.match(await page.evaluate(() => document.body.innerText), /Host \\?"rebound\.test\\?" is none of them/);

  // the dashboard: its own fetch, same origin, resets
  await page.goto(`${mock.url}/__admin/ui/`);
  const status = await page.evaluate(async () => (await fetch('/__admin/reset', { method: 'POST' })).status);
  t.equal(status, 200, 'the dashboard resets');
  t.notOk((await names()).includes('survives'), 'the reset happened');
}

if (chrome) t.test('a page of another origin and a rebound name change nothing; the dashboard does', (t) => run(t, chrome));
else t.plan(0, NO_CHROME);
