// What a start loads: only what serving needs. The OpenAPI generator (@fastify/swagger and the YAML
// library it brings) and the dashboard's file server (@fastify/send) are loaded by the first request
// that needs them; loaded at start they were a third of what the server added to its libraries'
// start-up. The parity command's HTTP client (undici) is not the server's at all. (Each tap file is
// a process of its own: nothing else has loaded them here; tap itself loads yaml, so that one
// cannot be watched.)
import t from 'tap';
import { createRequire } from 'node:module';
import { buildApp } from './helper.js';

const cache = createRequire(import.meta.url).cache;
const loaded = (pkg: string) => Object.keys(cache).some((file) => file.includes(`/node_modules/${pkg}/`));

t.test('the OpenAPI generator and the file server are loaded by their first request, not at start', async (t) => {
  const app = await buildApp(t);
  await app.ready();
  t.notOk(loaded('@fastify/swagger'), 'no @fastify/swagger after the start');
  t.notOk(loaded('@fastify/send'), 'no @fastify/send');
  t.notOk(loaded('undici'), "no undici (the parity command's HTTP client)");

  const doc = await app.inject({ url: '/rest/openapi/2024-10-15' });
  t.equal(doc.statusCode, 200);
  t.ok(loaded('@fastify/swagger'), 'the first document loads @fastify/swagger');
  const again = await app.inject({ url: '/rest/openapi/2024-10-15' });
  t.same(again.json(), doc.json(), 'and the document stays the same');

  const page = await app.inject({ url: '/__admin/ui/' });
  t.equal(page.statusCode, 200);
  t.ok(loaded('@fastify/send'), 'the first page loads @fastify/send');
});
