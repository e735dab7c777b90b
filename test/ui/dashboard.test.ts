// The dashboard in a real headless Chromium, against the mock started in-process on the default
// fixtures: the seeded tree, creating / rotating / deleting / resetting through the page (checked
// over REST), live updates from REST calls, the live request journal, the clock, fault, rate-limit
// and switch panels changing the server (checked over the admin routes and REST), paging at 10,000
// accounts, keyboard use, an accessibility audit (axe-core) in both themes, and no secret on the
// page or in what it received except the just-minted one in its dialog. Screenshots go to
// .tap/screenshots/.
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { Agent } from 'undici';
import { startMockServer, type MockServer } from '../../src/index.js';
import { IDS, TOKENS, V } from '../helper.js';
import { axeAudit, findChrome, launch, NO_CHROME } from '../support/browser.js';
import { bulkFixtures } from '../support/fixtures.js';

// ~70 s alone on a quiet 2-core machine (a browser, 10,000 accounts, two axe audits): 4× that
t.setTimeout(300_000);
const chrome = findChrome();
const SHOTS = new URL('../../.tap/screenshots/', import.meta.url);

async function run(executablePath: string) {
  mkdirSync(SHOTS, { recursive: true });
  const mock = await startMockServer({});
  const chromium = await launch(executablePath);
  const browser = chromium.browser;
  // the browser goes first: its spare connections would hold up the server's close()
  t.teardown(async () => {
    await chromium.close();
    await mock.close();
  });

  // everything the event stream sends, read by the test on a stream of its own
  const sse: string[] = [];
  const agent = new Agent();
  const stream = new AbortController();
  const parser = createParser({ onEvent: (m) => sse.push(`${m.event} ${m.data}`) });
  const events = await fetch(`${mock.url}/__admin/events`, { signal: stream.signal, dispatcher: agent } as RequestInit);
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of events.body!) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // aborted at the end
    }
  })();
  t.teardown(async () => {
    stream.abort();
    await agent.destroy();
  });

  const page = await browser.newPage();
  await page.setBypassCSP(true); // to inject axe-core; the page itself loads only its own files
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  // every JSON response the page received from /__admin (overview, journal, controls)
  const received: string[] = [];
  page.on('response', async (res) => {
    if (/\/__admin\/(?!ui\/|events)/.test(res.url())) received.push(await res.text().catch(() => ''));
  });

  /** every secret minted during the test, and the latest of each account by name */
  const minted: string[] = [];
  const secrets: Record<string, string> = {};
  const ctx = { mock, browser, page, minted };

  await t.test('the page shows the seeded tree, accounts and users', async (t) => {
    await page.goto(`${mock.url}/`);
    t.equal(new URL(page.url()).pathname, '/__admin/ui/', 'GET / redirects to the dashboard');
    await page.waitForSelector('tr[data-account-id]');
    const ready = await page.evaluate(() => performance.getEntriesByName('dashboard-ready')[0]?.startTime);
    t.comment(`page load to first render, default seed: ${Math.round(ready ?? NaN)} ms (navigation start → dashboard-ready)`);
    t.same(await treeNames(page), ['Acme Group 5', 'acme-frontend 5', 'acme-backend 3', 'Other Group 0', 'other-org 1']);
    t.same(await accountNames(page), ['group-admin-bot', 'group-viewer-bot', 'group-oauth', 'group-signer', 'group-token']);
    await selectOwner(page, 'acme-frontend');
    await waitForAccount(page, 'frontend-ci');
    t.same(await accountNames(page), ['frontend-ci', 'frontend-deployer', 'frontend-signer', 'frontend-token', 'frontend-collaborator']);
    t.match(
      await text(page, 'tr[data-account-id="5a000000-0000-4000-8000-000000000004"]'),
      /frontend-token\s+Access token\s+Org Admin.*access token, expires in/s,
    );
    const users = await page.$$eval('.users tbody tr', (rows) => rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
    t.match(users, [/^Demo Admin demo user demo-admin Group Admin of Acme Group$/, /^Demo Viewer demo-viewer/, /^Demo Collaborator demo-collaborator/]);
    t.notMatch(await text(page, '.journal'), /is off on this server/, 'the server has a request journal');
    t.notMatch(await text(page, '.controls'), /Not available on this server/, 'and every control panel');
    t.match(await text(page, '.stream'), /Live/);
    await page.screenshot({ path: new URL('overview.png', SHOTS).pathname, fullPage: true });
    // the README's picture: the top of the page, light theme
    await page.setViewport({ width: 1280, height: 720 });
    await page.screenshot({ path: new URL('readme.png', SHOTS).pathname });
    // docs/dashboard.png is the 1280×800 view of dashboard-demo.test.ts
    await page.setViewport({ width: 1440, height: 900 });
  });

  await t.test('accessible in both themes (axe-core, WCAG 2 A and AA), and usable by keyboard', async (t) => {
    const audit = () => axeAudit(page);
    t.same(await audit(), [], 'light theme');
    await page.click('.theme-toggle');
    t.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    t.same(await audit(), [], 'dark theme');
    await page.screenshot({ path: new URL('overview-dark.png', SHOTS).pathname, fullPage: true });

    // keyboard: the create dialog opens with Enter, takes the focus, and Escape closes it
    await page.focus('.accounts .panel-head button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#create-dialog[open]');
    t.equal(await page.evaluate(() => document.activeElement?.id), 'create-name', 'the focus is in the dialog');
    t.same(await audit(), [], 'dark theme, create dialog open');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#create-dialog', { hidden: true });
    await page.click('.theme-toggle');
    t.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  });

  await t.test('create an account through the page: its secret is shown once, and works', async (t) => {
    await page.type('#rest-token', TOKENS.admin);
    const key = await createThroughPage(ctx, 'made-in-the-page', 'api_key');
    secrets['made-in-the-page'] = key;
    t.match(key, /^[0-9a-f-]{36}$/, 'an API key');
    t.equal((await self(mock, key)).status, 200, 'the key shown authenticates');
    t.match(await text(page, '.notice[role="status"]'), /Created made-in-the-page/);
    await waitForAccount(page, 'made-in-the-page');
    t.notOk((await page.content()).includes(key), 'once the dialog is closed, the key is nowhere on the page');

    const secret = await createThroughPage(ctx, 'rotating-bot', 'oauth_client_secret');
    secrets['rotating-bot'] = secret;
    t.equal((await clientCredentials(mock, 'rotating-bot', secret)).status, 200, 'the client secret shown gets a token');
    await waitForAccount(page, 'rotating-bot');
    // the token's commit reloads the overview: the row follows
    const row = rowSelector(await accountId(page, 'rotating-bot'));
    await page.waitForFunction((sel) => /1 live OAuth token, next expiry in/.test((document.querySelector(sel) as HTMLElement).innerText), {}, row);
    t.match(await text(page, row), /1 live OAuth token, next expiry in/);
  });

  await t.test('a REST call from outside shows up at once; the journal panel renders request events', async (t) => {
    const before = Date.now();
    const res = await fetch(`${mock.url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, {
      method: 'POST',
      headers: { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'service_account', attributes: { name: 'made-by-curl', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } }),
    });
    t.equal(res.status, 201);
    const body = await res.text();
    const key = JSON.parse(body).data.attributes.api_key as string;
    minted.push(key);
    secrets['made-by-curl'] = key;
    // positive control for the leak search at the end: it finds a key where one is
    t.ok(leaks(body, [key]).length === 1, 'the search finds the key in the create response');
    await waitForAccount(page, 'made-by-curl');
    t.comment(`REST create to row on the page: ${Date.now() - before} ms`);
    t.match((await treeNames(page))[1], /^acme-frontend 8$/);

    // that very call shows up in the journal panel, newest first, with a later one above it
    const created = journalRow(res.headers.get('snyk-request-id')!);
    await page.waitForSelector(created);
    t.comment(`REST create to journal row: ${Date.now() - before} ms`);
    const self = await fetch(`${mock.url}/rest/self?version=${V}`, { headers: { authorization: `token ${key}` } });
    t.equal(self.status, 200, 'the minted key as a credential: its request is streamed too');
    await page.waitForSelector(journalRow(self.headers.get('snyk-request-id')!));
    const rows = await journalRows(page);
    t.same(
      rows.slice(0, 2).map(([, method, path, status, , principal]) => [method, path, status, principal]),
      [
        ['GET', `/rest/self?version=${V}`, '200', 'account made-by-curl'],
        ['POST', `/rest/orgs/${IDS.frontend.slice(0, 8)}… acme-frontend/service_accounts?version=${V}`, '201', 'user Demo Admin'],
      ],
      'method, path (the org named next to its id), status and principal; newest first',
    );
    t.match(rows[0], [/^\d\d:\d\d:\d\d$/, 'GET', String, String, /^[\d.]+ ms$/], 'time and duration');
    await page.screenshot({ path: new URL('journal.png', SHOTS).pathname, fullPage: true });
  });

  await t.test('rotate and delete through the page, checked over REST', async (t) => {
    const oldSecret = secrets['rotating-bot'];
    await (await button(page, 'Rotate secret of rotating-bot')).click();
    await page.waitForSelector('#confirm-dialog[open]');
    await page.screenshot({ path: new URL('confirm.png', SHOTS).pathname });
    await (await page.$('#confirm-dialog button.primary'))!.click();
    const fresh = await readSecretDialog(ctx);
    t.not(fresh, oldSecret);
    t.equal((await clientCredentials(mock, 'rotating-bot', fresh)).status, 200, 'the new secret works');
    t.equal((await clientCredentials(mock, 'rotating-bot', oldSecret)).status, 401, 'the old one does not');

    const victim = await accountId(page, 'made-in-the-page');
    await (await button(page, 'Delete made-in-the-page')).click();
    await (await page.waitForSelector('#confirm-dialog button.danger'))!.click();
    await page.waitForFunction((sel) => !document.querySelector(sel), {}, rowSelector(victim));
    t.match(await text(page, '.notice[role="status"]'), /Deleted made-in-the-page/);
    const get = await fetch(`${mock.url}/rest/orgs/${IDS.frontend}/service_accounts/${victim}?version=${V}`, {
      headers: { authorization: `token ${TOKENS.admin}` },
    });
    t.equal(get.status, 404, 'gone over REST');
    t.equal((await self(mock, secrets['made-in-the-page'])).status, 401, 'its key no longer works');
    t.equal((await self(mock, secrets['made-by-curl'])).status, 200, 'the other accounts are untouched');
  });

  await t.test('an action the token may not do shows the API error', async (t) => {
    await page.$eval('#rest-token', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#rest-token', TOKENS.viewer);
    await (await button(page, 'Delete made-by-curl')).click();
    await (await page.waitForSelector('#confirm-dialog button.danger'))!.click();
    await page.waitForFunction(() => document.querySelector('.notice[role="alert"]')?.textContent?.length);
    t.match(await text(page, '.notice[role="alert"]'), /not|permission|forbidden/i, 'the 403 detail is shown');
    t.equal((await self(mock, secrets['made-by-curl'])).status, 200, 'nothing was deleted');
    await waitForAccount(page, 'made-by-curl');
    await page.$eval('#rest-token', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#rest-token', TOKENS.admin);
  });

  await t.test('reset to the seed through the page', async (t) => {
    await page.click('button.reset');
    await (await page.waitForSelector('#confirm-dialog button.danger'))!.click();
    await page.waitForFunction(() => document.querySelector('.notice[role="status"]')?.textContent?.includes('Reset to the seed'));
    await page.waitForFunction(() => document.querySelector('.totals')?.textContent?.includes('14 service accounts'));
    const list = await fetch(`${mock.url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, { headers: { authorization: `token ${TOKENS.admin}` } });
    const names = ((await list.json()) as { data: { attributes: { name: string } }[] }).data.map((d) => d.attributes.name);
    t.notOk(names.includes('made-by-curl'), 'the REST list is back to the seed');
    t.same(await treeNames(page), ['Acme Group 5', 'acme-frontend 5', 'acme-backend 3', 'Other Group 0', 'other-org 1']);
  });

  await t.test('the control panels change the server: clock, faults, rate limit, switches', async (t) => {
    const admin = async (path: string) => (await fetch(`${mock.url}/__admin/${path}`)).json();
    const rest = (path: string, token: string = TOKENS.admin, init: RequestInit = {}) =>
      fetch(`${mock.url}${path}`, {
        ...init,
        headers: { authorization: `token ${token}`, ...(init.body ? { 'content-type': 'application/vnd.api+json' } : {}) },
      });
    await page.waitForSelector('#clock-now');

    // the clock: set and freeze, move forward, a refused time, back to real time
    const created = await text(page, '.accounts tbody tr td:nth-child(3)');
    await fill(page, '#clock-set', '2030-01-01T00:00:00Z');
    await page.click('#clock-set + button');
    await waitForText(page, '#clock-now', '2030-01-01 00:00:00 UTC');
    t.same(await admin('clock'), { now: '2030-01-01T00:00:00.000Z', frozen: true }, 'set and frozen, over HTTP');
    t.equal(await text(page, '#clock-mode'), 'frozen');
    // the control event reloads the overview too: times on the page follow the mock's clock
    await page.waitForFunction((before) => (document.querySelector('.accounts tbody tr td:nth-child(3)') as HTMLElement).innerText !== before, {}, created);
    t.match(await text(page, '.accounts tbody tr td:nth-child(3)'), /years ago/);
    await fill(page, '#clock-advance', '90m');
    await page.click('#clock-advance + button');
    await waitForText(page, '#clock-now', '2030-01-01 01:30:00 UTC');
    t.same(await admin('clock'), { now: '2030-01-01T01:30:00.000Z', frozen: true }, 'moved 90 minutes');
    await fill(page, '#clock-set', 'tomorrow');
    await page.click('#clock-set + button');
    await waitForText(page, '.control-clock [role="alert"]', 'ISO 8601');
    t.same(await admin('clock'), { now: '2030-01-01T01:30:00.000Z', frozen: true }, 'a refused time changes nothing; the panel shows why');
    await (await button(page, 'Back to real time', '.control-clock')).click();
    await waitForText(page, '#clock-mode', 'running');
    t.equal((await admin('clock')).frozen, false, 'real time again');
    t.ok(Math.abs(Date.parse((await admin('clock')).now) - Date.now()) < 60_000, 'and the time is now');

    // a fault: POST creates answer 503 once
    await page.select('#fault-method', 'POST');
    await fill(page, '#fault-path', '/rest/orgs/*/service_accounts');
    await page.select('#fault-action', '503');
    await page.select('#fault-fires', 'times');
    await fill(page, '#fault-times', '1');
    await (await button(page, 'Add fault', '.control-faults')).click();
    await page.waitForSelector('tr[data-fault-id="fault-1"]');
    t.match(
      await admin('faults'),
      { faults: [{ id: 'fault-1', method: 'POST', path: '/rest/orgs/*/service_accounts', status: 503, times: 1, fired: 0 }] },
      'added, over HTTP',
    );
    const body = JSON.stringify({
      data: { type: 'service_account', attributes: { name: 'faulted-create', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } },
    });
    const faulted = await rest(`/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, TOKENS.admin, { method: 'POST', body });
    t.equal(faulted.status, 503, 'a REST create through it is faulted');
    const names = (
      (await (await rest(`/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`)).json()) as { data: { attributes: { name: string } }[] }
    ).data.map((d) => d.attributes.name);
    t.notOk(names.includes('faulted-create'), 'and creates nothing');
    const faultedRow = journalRow(faulted.headers.get('snyk-request-id')!);
    await page.waitForSelector(faultedRow);
    t.match(await text(page, faultedRow), /POST.*503.*fault-1/s, 'the journal names the fault');
    await waitForText(page, 'tr[data-fault-id="fault-1"]', '1 (done)');
    // another, to show in the screenshot and to remove all at the end
    await page.select('#fault-method', '*');
    await fill(page, '#fault-path', '/oauth2/**');
    await page.select('#fault-action', 'delay');
    await fill(page, '#fault-delay', '100-300');
    await page.select('#fault-fires', 'probability');
    await fill(page, '#fault-probability', '0.25');
    await (await button(page, 'Add fault', '.control-faults')).click();
    await page.waitForSelector('tr[data-fault-id="fault-2"]');
    t.match((await admin('faults')).faults[1], { id: 'fault-2', method: '*', path: '/oauth2/**', delay_ms: { min: 100, max: 300 }, probability: 0.25 });

    // the rate limit: two requests a minute per credential
    await fill(page, '#rate-limit-limit', '2');
    await fill(page, '#rate-limit-window', '60');
    await (await button(page, 'Set limit', '.control-rate_limit')).click();
    await waitForText(page, '#rate-limit-setting', '2 requests per 60 s');
    t.match(await admin('rate-limit'), { enabled: true, limit: 2, window_seconds: 60, counters: [] }, 'set, over HTTP');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await rest(`/rest/self?version=${V}`, TOKENS.viewer)).status);
    t.same(statuses, [200, 200, 429], 'the third request of the minute is refused');
    await waitForText(page, '.control-rate_limit tbody', 'user Demo Viewer');
    t.match(await text(page, '.control-rate_limit tbody tr'), /user Demo Viewer\s+2 of 2\s+1\s+\d\d:\d\d:\d\d/, 'its counters on the page');

    // the switches: a future version is refused until the version check is lenient
    const future = () => rest('/rest/self?version=2099-01-01');
    t.equal((await future()).status, 400, 'strict: a future version is refused');
    await (await button(page, 'lenient', '.control-switches')).click();
    await waitForText(page, '.control-switches [aria-pressed="true"]', 'lenient');
    t.same(await admin('switches'), { version_check: 'lenient', auth: 'strict' }, 'flipped, over HTTP');
    t.equal((await future()).status, 200, 'lenient: served');
    await (await button(page, 'presence', '[aria-labelledby="switch-auth"]')).click();
    await page.waitForFunction(() => document.querySelector('[aria-labelledby="switch-auth"] [aria-pressed="true"]')?.textContent === 'presence');
    t.same(await admin('switches'), { version_check: 'lenient', auth: 'presence' });

    // the panels with state in them: accessible in both themes, and pictured
    await page.waitForFunction(() => /\d+ ms/.test(document.querySelector('.journal tbody')?.textContent ?? ''));
    t.same(await axeAudit(page), [], 'light theme, panels in use');
    await (await page.$('.controls'))!.screenshot({ path: new URL('controls.png', SHOTS).pathname });
    await (await page.$('.journal'))!.screenshot({ path: new URL('journal-live.png', SHOTS).pathname });
    await page.click('.theme-toggle');
    t.same(await axeAudit(page), [], 'dark theme, panels in use');
    await (await page.$('.controls'))!.screenshot({ path: new URL('controls-dark.png', SHOTS).pathname });
    await page.click('.theme-toggle');

    // and back to neutral, through the page
    await (await button(page, 'strict', '[aria-labelledby="switch-version_check"]')).click();
    await (await button(page, 'strict', '[aria-labelledby="switch-auth"]')).click();
    await page.waitForFunction(() => [...document.querySelectorAll('.control-switches [aria-pressed="true"]')].every((b) => b.textContent === 'strict'));
    t.same(await admin('switches'), { version_check: 'strict', auth: 'strict' });
    await (await button(page, 'Turn off', '.control-rate_limit')).click();
    await waitForText(page, '#rate-limit-setting', 'Off');
    t.match(await admin('rate-limit'), { enabled: false, limit: null, counters: [] }, 'rate limit off');
    await (await button(page, 'Remove fault-1', '.control-faults')).click();
    await page.waitForSelector('tr[data-fault-id="fault-1"]', { hidden: true });
    t.same(
      (await admin('faults')).faults.map((f: { id: string }) => f.id),
      ['fault-2'],
      'one removed',
    );
    await (await button(page, 'Remove all', '.control-faults')).click();
    await page.waitForSelector('#faults-none');
    t.same((await admin('faults')).faults, [], 'all removed');

    // the journal empties through the page too
    await (await button(page, 'Clear the journal', '.journal')).click();
    await page.waitForFunction(() => !document.querySelector('.journal tbody tr'));
    t.same((await admin('requests')).requests, [], 'emptied, over HTTP');
  });

  await t.test('10,000 accounts: one page of rows, paging stays quick', async (t) => {
    const seeded = await fetch(`${mock.url}/__admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bulkFixtures({ accounts: 10_000 })),
    });
    t.equal(seeded.status, 200);
    await page.waitForFunction(() => document.querySelector('.totals')?.textContent?.includes('10,014 service accounts'));
    const started = Date.now();
    await page.reload();
    await page.waitForSelector('tr[data-account-id]');
    const ready = await page.evaluate(() => performance.getEntriesByName('dashboard-ready')[0]?.startTime);
    t.comment(`page load to first render, 10,000 accounts: ${Math.round(ready ?? NaN)} ms (reload took ${Date.now() - started} ms)`);
    await selectOwner(page, 'acme-backend');
    await page.waitForFunction(() => document.querySelector('.pager span')?.textContent === '1–100 of 10,003');
    t.equal(await page.$$eval('.accounts tbody tr', (r) => r.length), 100, 'one page of rows');
    const before = Date.now();
    await (await button(page, 'Next', '.accounts .pager'))!.click();
    await page.waitForFunction(() => document.querySelector('.pager span')?.textContent === '101–200 of 10,003');
    t.comment(`next page of 100 at 10,000 accounts: ${Date.now() - before} ms (click to rendered)`);
    t.equal(await page.$$eval('.accounts tbody tr', (r) => r.length), 100);
    t.equal((await page.$$eval('tr', (r) => r.length)) <= 100 + 3 + 100 + 3, true, 'no view renders more than a page');
    await page.screenshot({ path: new URL('paging-10000.png', SHOTS).pathname });
  });

  await t.test('with an admin secret: sign in on the page; the secret goes in a header, never a URL', async (t) => {
    const guarded = await startMockServer({ adminSecret: 'admin-secret-for-the-test' });
    t.teardown(() => guarded.close());
    const tab = await browser.newPage();
    t.teardown(() => tab.close());
    const urls: string[] = [];
    const authorized: string[] = [];
    tab.on('request', (r) => {
      urls.push(r.url());
      if (r.headers().authorization === 'Bearer admin-secret-for-the-test') authorized.push(new URL(r.url()).pathname);
    });
    await tab.goto(`${guarded.url}/__admin/ui/`);
    await tab.waitForSelector('#admin-secret');
    t.equal(await tab.$('tr[data-account-id]'), null, 'no data without the secret');
    t.match(await text(tab, '.stream'), /Admin secret needed/);
    await tab.type('#admin-secret', 'wrong-secret');
    await tab.keyboard.press('Enter');
    await tab.waitForSelector('#admin-secret');
    await tab.$eval('#admin-secret', (el) => ((el as HTMLInputElement).value = ''));
    await tab.type('#admin-secret', 'admin-secret-for-the-test');
    await tab.keyboard.press('Enter');
    await tab.waitForSelector('tr[data-account-id]');
    await tab.waitForFunction(() => document.querySelector('.stream')?.textContent?.includes('Live'));
    t.equal(await tab.$('#admin-secret'), null, 'the sign-in field is gone');
    t.ok(authorized.includes('/__admin/overview') && authorized.includes('/__admin/events'), `sent with the header: ${[...new Set(authorized)].join(', ')}`);
    // a control changed through the page: the secret goes with it
    await (await button(tab, 'lenient', '.control-switches')).click();
    await tab.waitForFunction(() => document.querySelector('.control-switches [aria-pressed="true"]')?.textContent === 'lenient');
    const switches = await fetch(`${guarded.url}/__admin/switches`, { headers: { authorization: 'Bearer admin-secret-for-the-test' } });
    t.same(await switches.json(), { version_check: 'lenient', auth: 'strict' }, 'a control works with the secret');
    t.ok(authorized.includes('/__admin/switches'), 'sent with the header');
    t.same(
      urls.filter((u) => u.includes('admin-secret')),
      [],
      'in no URL',
    );
    t.equal(await tab.evaluate(() => sessionStorage.getItem('snyk-mock.admin-secret')), 'admin-secret-for-the-test', 'kept in this tab');
    t.equal(await tab.evaluate(() => localStorage.getItem('snyk-mock.admin-secret')), null, 'not beyond it');
  });

  await t.test('no secret reached the page but the just-minted one, in its dialog', async (t) => {
    t.ok(minted.length >= 4, `${minted.length} secrets minted during the test`);
    t.ok(sse.length >= 5, `${sse.length} event-stream messages received`);
    t.ok(sse.filter((m) => m.startsWith('request ')).length >= 10, `${sse.filter((m) => m.startsWith('request ')).length} of them request events`);
    t.ok(received.length >= 5, `${received.length} admin responses received (overview, journal, controls)`);
    const state = await (await fetch(`${mock.url}/__admin/state`)).text();
    t.same(leaks(sse.join('\n'), minted), [], 'not in any event-stream message');
    t.same(leaks(received.join('\n'), minted), [], 'not in any admin response');
    t.same(leaks(state, minted), [], 'not in the state export');
    t.same(leaks(await page.content(), minted), [], 'not on the page');
    t.same(pageErrors, [], 'no script error on the page');
  });
}

// ---- helpers

const leaks = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));

const text = (page: Page, selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText);

const rowSelector = (id: string) => `tr[data-account-id="${id}"]`;

const journalRow = (requestId: string) => `.journal tr[data-request-id="${requestId}"]`;

/** The journal panel's rows, each as its cells' text. */
const journalRows = (page: Page) =>
  page.$$eval('.journal tbody tr', (trs) => trs.map((r) => [...r.querySelectorAll('td')].map((c) => (c as HTMLElement).innerText.trim())));

/** Replaces a field's value, as typing would. */
async function fill(page: Page, selector: string, value: string) {
  await page.$eval(selector, (el) => ((el as HTMLInputElement).value = ''));
  await page.type(selector, value);
}

const waitForText = (page: Page, selector: string, wanted: string) =>
  page.waitForFunction((sel, w) => (document.querySelector(sel) as HTMLElement | null)?.innerText.includes(w), {}, selector, wanted);

const treeNames = (page: Page) =>
  page.$$eval('.tree .owner', (bs) => bs.map((b) => `${b.querySelector('.name')!.textContent} ${b.querySelector('.count')!.firstChild!.textContent}`));

const accountNames = (page: Page) => page.$$eval('.accounts tbody th .name', (ths) => ths.map((th) => th.textContent!.trim()));

async function accountId(page: Page, name: string): Promise<string> {
  return page.$$eval(
    '.accounts tbody tr',
    (rows, n) => rows.find((r) => r.querySelector('th .name')!.textContent!.trim() === n)!.getAttribute('data-account-id')!,
    name,
  );
}

function waitForAccount(page: Page, name: string) {
  return page.waitForFunction((n) => [...document.querySelectorAll('.accounts tbody th .name')].some((th) => th.textContent!.trim() === n), {}, name);
}

async function button(page: Page, label: string, within = 'body'): Promise<ElementHandle<Element>> {
  const handle = await page.waitForFunction(
    (l, w) => [...document.querySelector(w)!.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === l || b.textContent!.trim() === l),
    {},
    label,
    within,
  );
  // the accounts and the journal scroll in their own panels: as a user would, scroll to it first
  await (handle as ElementHandle<Element>).evaluate((b) => b.scrollIntoView({ block: 'center' }));
  return handle as ElementHandle<Element>;
}

async function selectOwner(page: Page, name: string) {
  const handle = await page.waitForFunction(
    (n) => [...document.querySelectorAll('.tree .owner')].find((b) => b.querySelector('.name')!.textContent === n),
    {},
    name,
  );
  await (handle as ElementHandle<Element>).click();
}

interface Ctx {
  mock: MockServer;
  browser: Browser;
  page: Page;
  minted: string[];
}

/** Fills the create dialog and submits; returns the secret its dialog showed (and closes it). */
async function createThroughPage(ctx: Ctx, name: string, authType: string): Promise<string> {
  const { page } = ctx;
  await (await button(page, 'New account', '.accounts'))!.click();
  await page.waitForSelector('#create-dialog[open]');
  await page.type('#create-name', name);
  await page.select('#create-auth-type', authType);
  await page.click('#create-dialog button[type="submit"]');
  return readSecretDialog(ctx);
}

/** Reads the secret dialog: the secret is there (recorded as minted), then Done closes it. */
async function readSecretDialog(ctx: Ctx): Promise<string> {
  const { page } = ctx;
  await page.waitForSelector('#secret-dialog[open] #minted-secret');
  const secret = await page.$eval('#minted-secret', (el) => (el as HTMLInputElement).value);
  ctx.minted.push(secret);
  if (ctx.minted.length === 1) await page.screenshot({ path: new URL('secret-dialog.png', SHOTS).pathname });
  await page.click('#secret-dialog button[type="submit"]');
  await page.waitForSelector('#secret-dialog', { hidden: true });
  return secret;
}

const self = (mock: MockServer, token: string) => fetch(`${mock.url}/rest/self?version=${V}`, { headers: { authorization: `token ${token}` } });

async function clientCredentials(mock: MockServer, name: string, secret: string) {
  const account = mock.app.store.data.service_accounts.find((a) => a.name === name)!;
  return fetch(`${mock.url}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: account.client_id!, client_secret: secret }),
  });
}

// last: the helpers above are initialised by now
if (!chrome) {
  t.plan(0, NO_CHROME);
} else {
  await run(chrome);
}
