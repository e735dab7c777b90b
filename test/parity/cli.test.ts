// `snyk-mock parity`: the hook in the command, each subcommand's --help, usage errors (exit 2),
// --dry-run sends nothing, compare's exit status (0 / 1) and --json, record writes a transcript
// until stopped, a run with a private key signs its client assertions.
import t from 'tap';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { main } from '../../src/parity/cli.js';
import { ownVersion } from '../../src/parity/version.js';
import { IDS, TOKENS } from '../helper.js';
import { upstreamMock } from './support.js';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const DIR = mkdtempSync(join(tmpdir(), 'parity-cli-'));
const TRANSCRIPT = new URL('../../parity/mock-made-here.json', import.meta.url);

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { status, out: out.join('\n'), err: err.join('\n') };
}

// on a busy two-core machine the recordings and replays take tens of seconds
t.setTimeout(120_000);
t.test('snyk-mock parity reaches the subcommands (the built command, as installed)', async (t) => {
  // dist/cli.js is a bundle (npm test builds it first): this also checks what the bundle holds
  const r = spawnSync(process.execPath, [BIN, 'parity', 'compare', '--help'], { encoding: 'utf8' });
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /^snyk-mock parity compare: replay a transcript/);
});

t.test('the built command loads the parity client (undici) only for `snyk-mock parity`', async (t) => {
  // a module loaded first that reports, at exit, how many of undici's files the process loaded
  const probe = join(DIR, 'undici-probe.mjs');
  writeFileSync(
    probe,
    "import { createRequire } from 'node:module';\n" +
      'const cache = createRequire(import.meta.url).cache;\n' +
      "const files = () => Object.keys(cache).filter((f) => f.includes('/node_modules/undici/')).length;\n" +
      "process.on('exit', () => process.stdout.write('\\nundici files: ' + files() + '\\n'));\n",
  );
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', probe, BIN, ...args], { encoding: 'utf8' });
    return { status: r.status, stderr: r.stderr, undici: Number(/undici files: (\d+)/.exec(r.stdout)?.[1]) };
  };
  t.match(run(['--version']), { status: 0, undici: 0 }, 'a plain command loads none of it');
  // compare loads its replay client before it reads the transcript
  const compare = run(['parity', 'compare', join(DIR, 'no-such-transcript.json')]);
  t.match(compare, { stderr: /ENOENT/ }, 'compare ran');
  t.ok(compare.undici > 0, `the parity command loads it (so the probe sees it): ${compare.undici} files`);
});

t.test('--help of each', async (t) => {
  t.match((await cli([])).out, /snyk-mock parity record --upstream <url>[\s\S]*parity run[\s\S]*parity compare/);
  t.match((await cli(['record', '--help'])).out, /--upstream <url> {2}default https:\/\/api\.snyk\.io/);
  t.match((await cli(['run', '-h'])).out, /--dry-run {12}print the plan, send nothing/);
  t.match((await cli(['compare', '--help'])).out, /Exit 0 when nothing differs, 1 when something does/);
});

t.test('usage errors: exit 2 and a hint', async (t) => {
  t.match(await cli(['nope']), { status: 2, err: /unknown command "nope"/ });
  for (const argv of [
    ['run', '--bogus'],
    ['run', '--base', 'http://x'],
    ['run', '--base', 'h', '--token', 't', '--org', 'o', '--group', 'g', '--jwks-url', 'http://plain'],
    ['compare'],
    ['record'],
  ]) {
    const r = await cli(argv);
    t.equal(r.status, 2, argv.join(' '));
    t.match(r.err, new RegExp(`Run snyk-mock parity ${argv[0]} --help`));
  }
});

t.test('--dry-run prints the plan and sends nothing', async (t) => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const r = await cli(['run', '--dry-run', '--base', base, '--token', 't', '--org', 'o1', '--group', 'g1']);
  t.equal(r.status, 0);
  t.match(r.out, /plan \(dry run, nothing sent\): prefix parity-[0-9a-f]{8}, \d+ steps/);
  t.match(r.out, /POST {3}\/rest\/orgs\/\{org\}\/service_accounts\/\{org\.oauth\}\/secrets {2}org: secrets replace/);
  t.notMatch(r.out, /oauth_private_key_jwt/, 'no private_key_jwt without --jwks-url');
  t.match((await cli(['run', '--dry-run', '--jwks-url', 'https://keys.example/jwks.json'])).out, /create an oauth_private_key_jwt account/);
  t.equal(requests, 0);
});

t.test('compare: exit 0 without differences, 1 with, and --json', async (t) => {
  const transcript = JSON.parse(readFileSync(TRANSCRIPT, 'utf8'));
  const same = join(DIR, 'same.json');
  writeFileSync(same, JSON.stringify(transcript));
  const ok = await cli(['compare', same]);
  t.equal(ok.status, 0, ok.out);
  t.match(ok.out, /^0 differences in \d+ exchanges/);
  // one planted difference: the recorded status of the first exchange
  transcript.exchanges[0].response.status = 299;
  const changed = join(DIR, 'changed.json');
  writeFileSync(changed, JSON.stringify(transcript));
  const r = await cli(['compare', changed, '--json']);
  t.equal(r.status, 1);
  const report = JSON.parse(r.out);
  t.match(report, {
    transcript: changed,
    meta: { made_here: true },
    differences: [{ index: 0, method: 'GET', path: '/rest/self', where: 'status', what: 'upstream 299, mock 200' }],
  });
  t.equal(report.differences.length, 1);
  const notOne = join(DIR, 'not.json');
  writeFileSync(notOne, '{"exchanges": []}');
  t.match(await cli(['compare', notOne]), { status: 1, err: /not a parity transcript/ });
});

t.test('record: a proxy until stopped, then the transcript; run: every step, private key JWT included', async (t) => {
  const upstream = await upstreamMock(t);
  const out = join(DIR, 'recorded.json');
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const lines: string[] = [];
  const recording = main(
    ['record', '--upstream', upstream.url, '--port', '0', '--out', out],
    (s) => lines.push(s),
    () => {},
    () => stopped,
  );
  while (!lines.some((l) => l.startsWith('recording proxy on '))) await new Promise((r) => setTimeout(r, 20));
  const proxy = /on (http:\/\/\S+)/.exec(lines[0])![1];

  const key = join(DIR, 'key.pem');
  writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const run = await cli([
    'run',
    '--base',
    proxy,
    '--token',
    TOKENS.admin,
    '--org',
    IDS.frontend,
    '--group',
    IDS.acmeGroup,
    '--per-minute',
    '100000',
    '--jwks-url',
    'https://jwks.invalid/keys.json',
    '--private-key',
    key,
    '--key-id',
    'k1',
  ]);
  t.equal(run.status, 0, run.err);
  t.match(run.out, /\n {2}201 {5}POST \S+ {2}org: create an oauth_private_key_jwt account/);
  t.match(run.out, /\n {2}\d{3} {5}POST \/oauth2\/token {2}org: token \(private key JWT\)/, 'a signed assertion sent');
  t.match(run.out, /done: \d+ requests, \d+ steps skipped; everything created was deleted$/);
  stop();
  t.equal(await recording, 0);
  t.match(lines.at(-1), /^\d+ exchanges recorded in /);
  const transcript = JSON.parse(readFileSync(out, 'utf8'));
  const assertion = transcript.exchanges.find(
    (e: { request: { body: { kind: string; value: string[][] } } }) =>
      e.request.body.kind === 'form' && e.request.body.value.some(([k]) => k === 'client_assertion'),
  );
  t.match(
    assertion.request.body.value,
    [
      ['grant_type', 'client_credentials'],
      ['client_assertion_type', String],
      ['client_assertion', /^<secret:\d+>$/],
    ],
    'the assertion redacted',
  );
  t.equal(ownVersion(), JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
});
