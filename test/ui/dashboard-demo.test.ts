// The dashboard for a live demo, in a real headless Chromium at 1280×800: one click puts in the demo
// token (and the page then creates through it), the selected owner's accounts and the live requests
// are both in view without scrolling, journal rows name the org, group or account next to ids, the
// page's own navigation (GET /) is not journaled, and tree names never break mid-word. An axe audit
// of that view; screenshots to .tap/screenshots/ (and docs/dashboard.png with SNYK_MOCK_UPDATE_SCREENSHOT).
import t from 'tap';
import { copyFileSync, mkdirSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { startMockServer } from '../../src/index.js';
import { IDS, TOKENS, V } from '../helper.js';
import { axeAudit, findChrome, launch, NO_CHROME } from '../support/browser.js';

const chrome = findChrome();
const SHOTS = new URL('../../.tap/screenshots/', import.meta.url);
const README_SHOT = new URL('../../docs/dashboard.png', import.meta.url);
const VIEW = { width: 1280, height: 800 };

async function run(executablePath: string) {
  mkdirSync(SHOTS, { recursive: true });
  const mock = await startMockServer({});
  const chromium = await launch(executablePath);
  t.teardown(async () => {
    await chromium.close();
    await mock.close();
  });
  const page = await chromium.browser.newPage();
  await page.setViewport(VIEW);
  await page.setBypassCSP(true); // to inject axe-core; the page itself loads only its own files
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  const rest = (path: string, init: RequestInit = {}) =>
    fetch(`${mock.url}${path}${path.includes('?') ? '&' : '?'}version=${V}`, { ...init, headers: { authorization: `token ${TOKENS.admin}`, ...init.headers } });

  await t.test('GET / opens the page and is not journaled', async (t) => {
    await page.goto(`${mock.url}/`);
    t.equal(new URL(page.url()).pathname, '/__admin/ui/');
    await page.waitForSelector('tr[data-account-id]');
    const first = await rest(`/rest/groups/${IDS.acmeGroup}/service_accounts`);
    await page.waitForSelector(`.journal tr[data-request-id="${first.headers.get('snyk-request-id')}"]`);
    const { requests } = (await (await fetch(`${mock.url}/__admin/requests`)).json()) as { requests: { method: string; path: string }[] };
    t.same(
      requests.map((r) => `${r.method} ${r.path}`),
      [`GET /rest/groups/${IDS.acmeGroup}/service_accounts`],
      'the journal holds the REST call only',
    );
    t.same(await page.$$eval('.journal tbody tr', (rows) => rows.length), 1, 'and so does the panel');
  });

  await t.test('one click: the demo token, then a create through the page', async (t) => {
    t.equal(await page.$eval('#rest-token', (el) => (el as HTMLInputElement).value), '', 'the field starts empty');
    await page.waitForSelector('button.demo-token');
    t.equal(await page.$eval('button.demo-token', (b) => (b as HTMLElement).innerText), 'Use the demo token');
    await page.click('button.demo-token');
    t.equal(await page.$eval('#rest-token', (el) => (el as HTMLInputElement).value), TOKENS.admin, "the demo user's token, from GET /__admin/demo-token");
    t.equal(
      await page.$eval('button.demo-token', (b) => [(b as HTMLButtonElement).disabled, (b as HTMLElement).innerText].join(' ')),
      'true Demo token in use',
    );
    await page.click('.accounts .panel-head button');
    await page.waitForSelector('#create-dialog[open]');
    await page.type('#create-name', 'demo-click');
    await page.select('#create-auth-type', 'api_key');
    await page.click('#create-dialog button[type="submit"]');
    await page.waitForSelector('#secret-dialog[open] #minted-secret');
    const list = (await (await rest(`/rest/groups/${IDS.acmeGroup}/service_accounts`)).json()) as { data: { attributes: { name: string } }[] };
    t.ok(
      list.data.some((a) => a.attributes.name === 'demo-click'),
      'created over REST with the demo token',
    );
    await page.click('#secret-dialog button[type="submit"]');
    await page.waitForSelector('#secret-dialog', { hidden: true });
  });

  await t.test('at 1280×800: the accounts and the live requests both in view, ids named', async (t) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const org = await rest(`/rest/orgs/${IDS.frontend}/service_accounts`);
    const row = `.journal tr[data-request-id="${org.headers.get('snyk-request-id')}"]`;
    await page.waitForSelector(row);
    const boxes = await page.evaluate((sel) => {
      const box = (s: string) => {
        const r = document.querySelector(s)!.getBoundingClientRect();
        return { top: Math.round(r.top), bottom: Math.round(r.bottom) };
      };
      return {
        accounts: box('#accounts-title'),
        firstAccount: box('.accounts tbody tr'),
        journal: box('#journal-title'),
        newest: box(sel),
        height: innerHeight,
        scrollY,
      };
    }, row);
    t.equal(boxes.scrollY, 0, 'not scrolled');
    for (const [what, b] of Object.entries(boxes)) {
      if (typeof b === 'number') continue;
      t.ok(b.top >= 0 && b.bottom <= VIEW.height, `${what} in view (${b.top}–${b.bottom} of ${VIEW.height})`);
    }
    t.match(
      await page.$eval(row, (r) => (r.querySelector('.path') as HTMLElement).innerText),
      `/rest/orgs/${IDS.frontend.slice(0, 8)}… acme-frontend/service_accounts`,
      'the org named next to its id',
    );
    t.equal(await page.$eval(`${row} .named-id`, (e) => e.getAttribute('title')), IDS.frontend, 'the whole id on hover');
    const group = await page.$$eval('.journal tbody tr .path', (cells) =>
      cells.map((c) => (c as HTMLElement).innerText).find((p) => p.startsWith('/rest/groups/')),
    );
    t.equal(group, `/rest/groups/${IDS.acmeGroup.slice(0, 8)}… Acme Group/service_accounts?version=${V}`, 'the group named next to its id');
    const account = await rest(`/rest/groups/${IDS.acmeGroup}/service_accounts/${IDS.sa.groupAdminBot}`);
    await page.waitForSelector(`.journal tr[data-request-id="${account.headers.get('snyk-request-id')}"]`);
    t.match(
      await page.$eval(`.journal tr[data-request-id="${account.headers.get('snyk-request-id')}"] .path`, (c) => (c as HTMLElement).innerText),
      /Acme Group\/service_accounts\/5a000000… group-admin-bot\?/,
      'and an account of the owner shown',
    );

    t.same(await axeAudit(page), [], 'axe: WCAG 2 A and AA at 1280×800');
    await page.screenshot({ path: new URL('demo-1280x800.png', SHOTS).pathname });
    if (process.env.SNYK_MOCK_UPDATE_SCREENSHOT) copyFileSync(new URL('demo-1280x800.png', SHOTS), README_SHOT);
  });

  await t.test('tree names do not wrap, not even at a hyphen', async (t) => {
    const names = await page.$$eval('.tree .owner .name', (spans) =>
      spans.map((s) => {
        const range = document.createRange();
        range.selectNodeContents(s);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return { name: s.textContent, lines: lines.size, cut: s.scrollWidth > s.clientWidth };
      }),
    );
    t.same(
      names.map((n) => n.name),
      ['Acme Group', 'acme-frontend', 'acme-backend', 'Other Group', 'other-org'],
    );
    t.same(
      names.filter((n) => n.lines !== 1 || n.cut),
      [],
      'each on one line, whole, at 1280 wide',
    );
    // a name too long for the column: one line still, cut with an ellipsis, whole in its title
    const res = await fetch(`${mock.url}/__admin/orgs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'a-very-long-organisation-name-for-the-demo', group_id: IDS.acmeGroup }),
    });
    t.equal(res.status, 201);
    await page.waitForFunction(() => [...document.querySelectorAll('.tree .name')].some((s) => s.textContent === 'a-very-long-organisation-name-for-the-demo'));
    const long = await page.$$eval('.tree .owner .name', (spans) => {
      const s = spans.find((x) => x.textContent === 'a-very-long-organisation-name-for-the-demo')!;
      return {
        height: s.getBoundingClientRect().height,
        line: parseFloat(getComputedStyle(s).lineHeight),
        cut: s.scrollWidth > s.clientWidth,
        title: s.getAttribute('title'),
      };
    });
    t.ok(long.height <= long.line * 1.1, `one line (${long.height}px, line ${long.line}px)`);
    t.match(long, { cut: true, title: 'a-very-long-organisation-name-for-the-demo' });
    t.same(pageErrors, [], 'no script error on the page');
  });
}

if (!chrome) {
  t.plan(0, NO_CHROME);
} else {
  await run(chrome);
}
