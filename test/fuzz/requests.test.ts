// Property-based fuzzing of /rest through a real socket (generators in test/support/fuzz.ts).
// For every generated request: no 5xx; every error is a valid ErrorDocument per the spec; a
// rejected request leaves /__admin/state unchanged; a `location` is an absolute URL; the server
// still answers health. `npm test` runs a fixed seed and 1,000 runs (FUZZ_RUNS), every property
// checked on each; `npm run fuzz` runs a long random one and prints its seed (scripts/fuzz.mjs).
import t from 'tap';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { startMockServer } from '../../src/index.js';
import { errorDocumentErrors } from '../support/spec.js';
import { fuzzRequest, type FuzzRequest } from '../support/fuzz.js';

const runs = Number(process.env.FUZZ_RUNS ?? 1000);
const seed = Number(process.env.FUZZ_SEED ?? 20251105);
const path = process.env.FUZZ_PATH || undefined;

// 1,000 runs take ~10 s alone on a quiet 2-core machine; the limit grows with FUZZ_RUNS (0: none)
t.setTimeout(Number(process.env.FUZZ_TIMEOUT_MS ?? 60_000 + runs * 60));

const mock = await startMockServer();
t.teardown(() => mock.close());
const dispatcher = new Agent({ connections: 4 });
t.teardown(() => dispatcher.close());

async function send(method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer) {
  const res = await request(`${mock.url}${target}`, { method: method as 'GET', headers, body, dispatcher });
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}
const state = async () => (await send('GET', '/__admin/state')).text;

class PropertyFailure extends Error {}
const fail = (req: FuzzRequest, why: string, detail = ''): never => {
  throw new PropertyFailure(`${why}\n${req.method} ${req.target.slice(0, 300)}\nmutations: ${req.mutations.join('; ')}\n${detail.slice(0, 600)}`);
};

const counts = { requests: 0, errors: 0, successes: 0 };
const byStatus = new Map<number, number>();

const property = fc.asyncProperty(fuzzRequest, async (req) => {
  const before = await state();
  let res;
  try {
    res = await send(req.method, req.target, req.headers, req.body);
  } catch (err) {
    fail(req, `no HTTP response: ${(err as Error).message}`);
  }
  counts.requests++;
  byStatus.set(res!.status, (byStatus.get(res!.status) ?? 0) + 1);
  const { status, headers, text } = res!;
  if (status >= 500) fail(req, `a ${status} for a client's request`, text);
  if (status >= 400) {
    counts.errors++;
    if (!String(headers['content-type']).startsWith('application/vnd.api+json'))
      fail(req, `error without the JSON:API media type (${headers['content-type']})`, text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      fail(req, 'error body is not JSON', text);
    }
    const problems = errorDocumentErrors(body);
    if (problems.length > 0) fail(req, `not an ErrorDocument: ${problems.join(', ')}`, text);
    if ((body as { errors: { status: string }[] }).errors[0].status !== String(status)) fail(req, 'the document status is not the response status', text);
    if ((await state()) !== before) fail(req, `a rejected request (${status}) changed the state`, text);
  } else {
    counts.successes++;
    const location = headers.location;
    if (location !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(String(location));
      } catch {
        fail(req, `location is not a URL: ${location}`);
      }
      if (!/^https?:$/.test(url!.protocol) || !url!.pathname.startsWith('/rest/')) fail(req, `location is not an absolute /rest URL: ${location}`);
      if (req.headers.host === undefined && req.headers['x-forwarded-proto'] === undefined && !String(location).startsWith(`${mock.url}/rest/`))
        fail(req, `location does not name the origin called: ${location}`);
    }
  }
  const health = await send('GET', '/__admin/health');
  if (health.status !== 200) fail(req, `health answered ${health.status} afterwards`);
});

t.test(`${runs} fuzzed requests (seed ${seed})`, async (t) => {
  // the seed, for replay: FUZZ_SEED=<seed> [FUZZ_PATH=<path>] npm run fuzz
  console.error(`fuzz: seed ${seed}, ${runs} runs${path ? `, path ${path}` : ''}`);
  const result = await fc.check(property, { seed, numRuns: runs, path, endOnFailure: true });
  if (result.failed) {
    t.fail(
      `property failed after ${result.numRuns} runs; replay with FUZZ_SEED=${result.seed} FUZZ_PATH=${result.counterexamplePath} npm run fuzz\n${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}`,
    );
  }
  t.equal(counts.requests >= runs, true, `${counts.requests} requests sent`);
  t.ok(counts.errors > runs / 4, `${counts.errors} rejected: mutations reach the gates`);
  t.ok(counts.successes > 0, `${counts.successes} accepted: some requests stay valid`);
  t.comment(
    `statuses: ${[...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
  );
});
