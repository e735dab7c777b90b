// Schemas are compiled at `npm run build` and loaded at start (src/plugins/compiled-schemas.ts). A compiled
// function that is missing or stale stops the start with a message naming the route and the fix; a
// schema that does not compile fails the build step. (The rest of the suite runs on the functions
// `npm run build` wrote, as a server does.)
import t from 'tap';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { build } from '../../src/app.js';
import { compiledSchemas, StaleSchemaError } from '../../src/plugins/compiled-schemas.js';
import { testSettings } from '../helper.js';

// inside the project: the generated code requires fast-json-stringify and ajv from node_modules
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/snyk-mock-test/', import.meta.url));
mkdirSync(CACHE, { recursive: true });
const tmp = () => mkdtempSync(join(CACHE, 'compiled-'));

/** Builds the app with `mode` compilers on `dir`, adds `extra` routes, and gets it ready; always closed. */
async function start(t: Tap.Test, mode: 'read' | 'write', dir: string, extra: (app: FastifyInstance) => void = () => {}) {
  const schemas = compiledSchemas(mode, dir);
  const app = await build(testSettings(), { logger: false, compiledSchemas: schemas });
  t.teardown(() => app.close());
  extra(app);
  await app.ready();
  return { app, files: schemas.files };
}
declare namespace Tap {
  type Test = { teardown(fn: () => unknown): void };
}

const probe = (body: object) => (app: FastifyInstance) => {
  app.post('/__probe', { schema: { body, response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } } } }, async () => ({ ok: true }));
};
const A = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false };
const B = { ...A, properties: { name: { type: 'string', minLength: 3 } } };

// A write compiles every schema of the app (the slow part): the app with probe(A) is written once,
// and a test that removes files works on a copy.
let written: Promise<{ dir: string; files: string[] }> | undefined;
const writtenOnce = () =>
  (written ??= (async () => {
    const dir = tmp();
    const schemas = compiledSchemas('write', dir);
    const app = await build(testSettings(), { logger: false, compiledSchemas: schemas });
    probe(A)(app);
    await app.ready();
    await app.close();
    return { dir, files: schemas.files };
  })());
const copyOf = (dir: string) => {
  const copy = tmp();
  cpSync(dir, copy, { recursive: true });
  return copy;
};

t.test('the functions written by the build step are what a server loads', async (t) => {
  const written = await writtenOnce();
  const dir = written.dir;
  t.ok(written.files.length > 20, `${written.files.length} files written`);
  t.same(readdirSync(dir).length, written.files.length);
  t.ok(
    written.files.some((f) => f.includes('POST___probe_body.')),
    'named after the route and the part',
  );
  t.ok(
    written.files.some((f) => f.includes('POST___probe_response_200.')),
    'serializers too, by status',
  );

  const read = await start(t, 'read', dir, probe(A));
  t.same([...read.files].sort(), [...written.files].sort(), 'the server loads every function, and compiles none');
  const ok = await read.app.inject({ method: 'POST', url: '/__probe', payload: { name: 'x' } });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { ok: true });
  t.equal((await read.app.inject({ method: 'POST', url: '/__probe', payload: { name: 1, other: true } })).statusCode, 400, 'the loaded validator validates');
});

t.test('a missing compiled function stops the start, naming the route and `npm run build`', async (t) => {
  await t.rejects(
    start(t, 'read', tmp()),
    { message: /no compiled check matches its schema .*Run `npm run build`/ },
    'an empty folder: the store checks are missed first',
  );
  const dir = copyOf((await writtenOnce()).dir);
  for (const f of readdirSync(dir)) if (!f.startsWith('check_')) rmSync(join(dir, f));
  await t.rejects(
    start(t, 'read', dir),
    { message: /no compiled (validator|serializer) for .* matches its schema .*Run `npm run build`/ },
    'the route functions',
  );
});

t.test('a stale one (the schema changed since the build) stops the start too', async (t) => {
  const { dir } = await writtenOnce();
  await t.resolves(start(t, 'read', dir, probe(A)), 'the same schema starts');
  await t.rejects(start(t, 'read', dir, probe(B)), { message: /no compiled validator for POST \/__probe body matches its schema.*Run `npm run build`/ });
  t.ok(new StaleSchemaError('x') instanceof Error);
});

t.test('a schema that does not compile fails the build step', async (t) => {
  await t.rejects(
    start(t, 'write', tmp(), probe({ type: 'object', properties: { name: { type: 'no-such-type' } } })),
    /schema is invalid|no-such-type/,
    'a request schema',
  );
  await t.rejects(
    start(t, 'write', tmp(), (app) =>
      app.get('/__probe', { schema: { response: { 200: { type: 'object', properties: { x: { $ref: '#/nowhere' } } } } } }, async () => ({})),
    ),
    /nowhere|reference|resolve/i,
    'a response schema',
  );
});

t.test("the store's checks are compiled by the build step too, and a missing one stops the start", async (t) => {
  const built = await writtenOnce();
  const dir = copyOf(built.dir);
  const checks = built.files.filter((f) => basename(f).startsWith('check_')).map((f) => join(dir, basename(f)));
  t.equal(checks.filter((f) => basename(f).startsWith('check_store_document.')).length, 1, 'the data file check');
  t.equal(checks.filter((f) => basename(f).startsWith('check_record_')).length, 7, 'a check per collection of the change log');
  await t.resolves(start(t, 'read', dir), 'they are what a server reads');
  rmSync(checks[0]);
  await t.rejects(start(t, 'read', dir), {
    name: 'StaleSchemaError',
    message: /no compiled check matches its schema for (store_document|record_\w+) \(.*\.cjs\).*Run `npm run build`/,
  });
});
