// The mock as upstream: the scenarios recorded through the proxy, then compared against a fresh mock,
// give 0 differences. The transcript holds none of the secrets that passed through the proxy: the
// test's own proxy behind the recorder sees them all in clear (the positive control: the same scan
// finds each of them in that raw traffic).
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, formatReport } from '../../src/parity/compare.js';
import { readTranscript, TRANSCRIPT_FORMAT } from '../../src/parity/transcript.js';
import { recorder, runScenarios, upstreamMock } from './support.js';
import { startTamper, type Raw } from './tamper.js';

const SECRET_FIELDS = ['api_key', 'client_secret', 'access_token', 'secret', 'client_assertion'];

/** Every secret in the raw traffic: credentials sent, secrets issued and sent back. */
function secretsIn(raw: Raw[]): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown, key = '') => {
    if (typeof v === 'string' && SECRET_FIELDS.includes(key) && v) found.add(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, Array.isArray(v) ? key : k);
  };
  for (const x of raw) {
    const auth = x.requestHeaders.authorization;
    if (auth) found.add(auth.replace(/^\S+\s+/, ''));
    for (const [k, v] of new URLSearchParams(x.requestBody.startsWith('{') ? '' : x.requestBody)) if (SECRET_FIELDS.includes(k)) found.add(v);
    for (const body of [x.requestBody, x.body]) {
      try {
        walk(JSON.parse(body));
      } catch {}
    }
  }
  return found;
}

// on a busy two-core machine the recordings and replays take tens of seconds
t.setTimeout(120_000);
t.test('mock as upstream: record, then compare against a fresh mock', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'parity-rc-')), 'transcript.json');
  const upstream = await upstreamMock(t);
  const sniffer = await startTamper(t, upstream.url);
  const rec = await recorder(t, sniffer.url, out);
  const run = await runScenarios(rec.url);
  t.same(run.left, [], 'everything the run created was deleted');
  t.equal(run.skipped, 0, 'no step skipped');
  t.equal(
    (await upstream.app.inject({ url: '/__admin/state' })).json().service_accounts.filter((a: { name: string }) => a.name.startsWith(run.prefix)).length,
    0,
    'nothing with the prefix is left upstream',
  );

  const transcript = readTranscript(out);
  t.equal(transcript.format, TRANSCRIPT_FORMAT);
  t.match(transcript.meta, { upstream: sniffer.url, made_here: true, mock_version: 'test', recorded_at: String });
  t.equal(transcript.exchanges.length, sniffer.seen.filter((x) => !x.path.startsWith('/__admin')).length, 'every exchange recorded (the mock probe aside)');
  t.same(
    transcript.exchanges.map((e) => e.index),
    transcript.exchanges.map((_, i) => i),
    'in order',
  );

  t.test('no secret that passed through is in the transcript', async (t) => {
    const secrets = secretsIn(sniffer.seen);
    t.ok(secrets.size >= 20, `the traffic carried ${secrets.size} distinct secrets`);
    const rawText = JSON.stringify(sniffer.seen);
    for (const s of secrets) t.ok(rawText.includes(s), 'positive control: the scan finds it in the raw traffic');
    const text = readFileSync(out, 'utf8');
    const leaked = [...secrets].filter((s) => text.includes(s));
    t.same(leaked, [], 'none of them in the transcript');
    t.match(text, /"authorization": "token <secret:1>"/, 'the recording token is a placeholder, the same everywhere');
  });

  t.test('a fresh mock answers the same', async (t) => {
    const result = await compare(transcript);
    t.equal(result.differences.length, 0, formatReport(result));
    t.same(result.skipped, []);
  });

  t.test('--against: a running mock, seeded through its admin API, answers the same', async (t) => {
    const running = await upstreamMock(t);
    const result = await compare(transcript, { against: running.url });
    t.equal(result.differences.length, 0, formatReport(result));
    t.equal((await running.app.inject({ url: '/__admin/state' })).json().users.length, 1, 'its data replaced by the seed');
  });
});
