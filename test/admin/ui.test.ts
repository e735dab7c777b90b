// The dashboard's files: GET / redirects to /__admin/ui/; index, script and stylesheet are served
// from dist/ui with a strict CSP and no admin secret; any other path keeps its 404/405 ErrorDocument.
import t from 'tap';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import errors from '../../src/plugins/errors.js';
import uiRoutes, { UI_ROOT } from '../../src/routes/admin/ui.js';
import { buildApp } from '../helper.js';

t.test('the build is there (npm test builds first)', async (t) => {
  t.ok(existsSync(join(UI_ROOT, 'index.html')), UI_ROOT);
});

t.test('GET / → /__admin/ui/, the page and its files', async (t) => {
  const app = await buildApp(t);
  const root = await app.inject({ url: '/' });
  t.equal(root.statusCode, 302);
  t.equal(root.headers.location, '/__admin/ui/');

  for (const url of ['/__admin/ui/', '/__admin/ui', '/__admin/ui/index.html']) {
    const page = await app.inject({ url });
    t.equal(page.statusCode, 200, url);
    t.match(page.headers['content-type'], /^text\/html/);
    t.match(page.body, /<script type="module" src="app\.js"><\/script>/);
    t.notMatch(page.body, /https?:/, 'nothing loaded from elsewhere');
    t.match(page.headers['content-security-policy'], /default-src 'none'; script-src 'self'/);
    t.equal(page.headers['x-content-type-options'], 'nosniff');
  }
  const js = await app.inject({ url: '/__admin/ui/app.js' });
  t.equal(js.statusCode, 200);
  t.match(js.headers['content-type'], /^(text|application)\/javascript/);
  t.notMatch(js.body, /(?:\bfrom|\bimport\s*\(?)\s*["'`]https?:/, 'imports nothing from elsewhere: works offline');
  const css = await app.inject({ url: '/__admin/ui/app.css' });
  t.equal(css.statusCode, 200);
  t.match(css.headers['content-type'], /^text\/css/);
  t.equal((await app.inject({ method: 'HEAD', url: '/__admin/ui/app.js' })).statusCode, 200);
});

t.test('other paths keep their ErrorDocuments', async (t) => {
  const app = await buildApp(t);
  const missing = await app.inject({ url: '/__admin/ui/nothing.js' });
  t.equal(missing.statusCode, 404);
  t.match(missing.headers['content-type'], /^application\/vnd\.api\+json/);
  t.match(missing.json(), { errors: [{ status: '404' }] });
  for (const url of ['/__admin/ui/%2e%2e/index.js', '/__admin/ui/..%2f..%2fpackage.json', '/__admin/ui/%2e%2e%2f%2e%2e%2fpackage.json']) {
    t.equal((await app.inject({ url })).statusCode, 404, `${url}: no way out of dist/ui`);
  }
  const post = await app.inject({ method: 'POST', url: '/__admin/ui/app.js' });
  t.equal(post.statusCode, 405);
  t.equal(post.headers.allow, 'HEAD, GET');
  t.equal((await app.inject({ method: 'DELETE', url: '/' })).statusCode, 405);
});

t.test('with an admin secret: the files stay open, the data does not', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 'let-me-in' } });
  for (const url of ['/', '/__admin/ui/', '/__admin/ui/app.js', '/__admin/ui/app.css', '/__admin/health']) {
    t.equal((await app.inject({ url })).statusCode, url === '/' ? 302 : 200, `${url} is open`);
  }
  for (const url of ['/__admin/overview', '/__admin/events', '/__admin/state']) {
    t.equal((await app.inject({ url })).statusCode, 401, `${url} needs the secret`);
  }
});

t.test('without a build, /__admin/ui/ says how to make one', async (t) => {
  const app = Fastify({ logger: false });
  t.teardown(() => app.close());
  await app.register(errors);
  await app.register(uiRoutes, { prefix: '/__admin/ui', root: `${mkdtempSync(join(tmpdir(), 'no-ui-'))}/` });
  const res = await app.inject({ url: '/__admin/ui/' });
  t.equal(res.statusCode, 404);
  t.match(res.json(), { errors: [{ status: '404', detail: /npm run build/ }] });
});
