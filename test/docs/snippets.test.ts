// Every fenced block of README.md, CONTRIBUTING.md and docs/*.md runs here (the convention is in
// CONTRIBUTING.md, "Snippets in the docs"):
// - sh/bash blocks: all of a page in one bash (set -e, variables carry over), against a mock started
//   for that page (default fixtures, demo token); `8080` in the text is that mock's port. Each
//   `# → text` line is output the block must print (in order; `…` matches anything). A curl answered
//   4xx/5xx fails its block unless the block names that status in a comment.
// - ts/js blocks: compiled by esbuild, run by node from the repository (so `import 'snyk-mock'` is
//   this package, as built); python blocks: python3 (with requests); go blocks: `go run`, standard
//   library only. Their `// →` / `# →` lines are checked against stdout the same way.
// - json, jsonc, text, output blocks are data, not run. Anything else, or a block that cannot run
//   here, carries `<!-- snippet: skip reason="…" -->` before its fence; the test fails otherwise.
import t, { type Test } from 'tap';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { transform } from 'esbuild';
import { startMockServer } from '../../src/index.js';
import { docPages, fencedBlocks, parseMarker, ROOT, type Block } from '../support/markdown.js';

// a page's blocks run one after the other, each its own process: about a minute in all
t.setTimeout(300_000);

const SHELL = new Set(['sh', 'bash', 'shell']);
const TS = new Set(['ts', 'typescript']);
const JS = new Set(['js', 'javascript', 'mjs']);
const PYTHON = new Set(['python', 'py']);
const GO = new Set(['go']);
const DATA = new Set(['json', 'jsonc', 'text', 'output']);
const runnable = (lang: string) => [SHELL, TS, JS, PYTHON, GO].some((s) => s.has(lang));

const WORK = join(ROOT, '.tap', 'snippets');
rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const TOOLS = { python: has('python3', ['-c', 'import requests']), go: has('go', ['version']) };

/** The documented port and host replaced by the ones of the mock the page runs against. */
const onPort = (text: string, port: number) => text.replace(/\b(localhost|127\.0\.0\.1):8080\b/g, `$1:${port}`);

/** `# → a…b` / `// → a…b` lines: each must appear in the output, in order; `…` matches anything. */
function expectations(code: string): string[] {
  return [...code.matchAll(/^\s*(?:#|\/\/)\s*→\s?(.*)$/gm)].map((m) => m[1].trim());
}

function matches(output: string, expected: string[]): string | undefined {
  let at = 0;
  for (const line of expected) {
    for (const piece of line
      .split('…')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const found = output.indexOf(piece, at);
      if (found < 0) return `expected output ${JSON.stringify(line)}; missing ${JSON.stringify(piece)}`;
      at = found + piece.length;
    }
  }
  return undefined;
}

const where = (b: Block) => `${b.page}:${b.line}`;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    // its own process group: background jobs a block starts are ended with it
    const child = spawn(cmd, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    };
    const timer = setTimeout(() => {
      stderr += '\n(timed out)';
      kill();
    }, opts.timeout ?? 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      kill();
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Env from a marker: `env="A=1 B=2"` (after the port substitution). */
const markerEnv = (b: Block, port: number): Record<string, string> =>
  Object.fromEntries((b.marker.env ? onPort(b.marker.env, port).split(/\s+/) : []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));

// a curl that records every answer's status line: <dir>/<block>/<n>
const CURL_WRAPPER = `curl() { mkdir -p "$SNIPPET_DIR/$SNIPPET_BLOCK"; command curl "$@" -D "$(mktemp -p "$SNIPPET_DIR/$SNIPPET_BLOCK")"; }
export -f curl
set -eo pipefail
trap 'echo "@@snippet-failed $SNIPPET_BLOCK: exit $? at: $BASH_COMMAND" >&2' ERR
`;

/** Statuses 4xx/5xx the block's curls got that its comments do not name. */
function unexpectedStatuses(dir: string, code: string): number[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  const named = new Set([...code.matchAll(/#.*$|\/\/.*$/gm)].flatMap((m) => [...m[0].matchAll(/\b[1-5]\d\d\b/g)].map((n) => Number(n[0]))));
  const bad: number[] = [];
  for (const f of files) {
    const lines = readFileSync(join(dir, f), 'utf8').match(/^HTTP\/\S+ (\d{3})/gm) ?? [];
    const last = lines.at(-1);
    const status = last ? Number(last.split(' ')[1]) : 0;
    if (status >= 400 && !named.has(status)) bad.push(status);
  }
  return bad;
}

async function runShellPage(t: Test, page: string, blocks: Block[], settings: Record<string, unknown>) {
  const mock = await startMockServer({ port: 0, ...settings });
  t.teardown(() => mock.close());
  const port = Number(new URL(mock.url).port);
  const dir = mkdtempSync(join(WORK, `${page.replace(/\W+/g, '_')}-`));
  const script =
    CURL_WRAPPER +
    blocks.map((b, i) => [`SNIPPET_BLOCK=${i}`, `echo "@@snippet ${i}"; echo "@@snippet ${i}" >&2`, onPort(b.code, port), ''].join('\n')).join('\n') +
    `\nSNIPPET_BLOCK=end\necho "@@snippet end"\n`;
  const ran = await run('bash', ['-c', script], { env: { SNIPPET_DIR: dir, ...Object.assign({}, ...blocks.map((b) => markerEnv(b, port))) } });
  const part = (text: string, i: number) => {
    const start = text.indexOf(`@@snippet ${i}\n`);
    if (start < 0) return undefined;
    const next = text.indexOf('@@snippet ', start + 1);
    return text.slice(start, next < 0 ? undefined : next);
  };
  blocks.forEach((b, i) => {
    const out = part(ran.stdout, i);
    const err = part(ran.stderr, i) ?? '';
    const failed = err.includes('@@snippet-failed') || (out !== undefined && part(ran.stdout, i + 1) === undefined && !ran.stdout.includes('@@snippet end'));
    const problem =
      out === undefined
        ? 'did not run (a block before it failed)'
        : failed
          ? `failed:\n${err}`
          : (matches(out, expectations(onPort(b.code, port))) ??
            (unexpectedStatuses(join(dir, String(i)), b.code).length
              ? `a curl got ${unexpectedStatuses(join(dir, String(i)), b.code).join(', ')}, which the block does not name in a comment`
              : undefined));
    t.notOk(problem, `${where(b)} (sh)`, problem ? { problem, output: out?.slice(0, 4000), stderr: err.slice(0, 4000), code: b.code } : {});
  });
}

/** Imports a compiled block with console.log captured and `env` set: its status is 0 unless it threw. */
async function importBlock(file: string, env: Record<string, string>): Promise<Ran> {
  const saved = { log: console.log, env: { ...process.env } };
  let stdout = '';
  console.log = (...args: unknown[]) => {
    stdout += `${args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ')}\n`;
  };
  Object.assign(process.env, env);
  try {
    await import(pathToFileURL(file).href);
    return { status: 0, stdout, stderr: '' };
  } catch (err) {
    return { status: 1, stdout, stderr: String((err as Error).stack ?? err) };
  } finally {
    console.log = saved.log;
    for (const key of Object.keys(env)) if (saved.env[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
}

async function runProgram(t: Test, b: Block, port: number) {
  const code = onPort(b.code, port);
  const name = `${b.page.replace(/\W+/g, '_')}-${b.line}`;
  let ran: Ran;
  if (TS.has(b.lang) || JS.has(b.lang)) {
    const js = (await transform(code, { loader: TS.has(b.lang) ? 'ts' : 'js', format: 'esm', target: 'node20' })).code;
    const file = join(WORK, `${name}.mjs`);
    writeFileSync(file, js);
    // in this process (no node start-up per block), but a node:test file in its own, as it is meant to run
    ran = code.includes("'node:test'") ? await run(process.execPath, [file], { env: markerEnv(b, port) }) : await importBlock(file, markerEnv(b, port));
  } else if (PYTHON.has(b.lang)) {
    const file = join(WORK, `${name}.py`);
    writeFileSync(file, code);
    ran = await run('python3', [file], { env: markerEnv(b, port) });
  } else {
    const dir = join(WORK, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'main.go'), code);
    ran = await run('go', ['run', 'main.go'], { cwd: dir, env: markerEnv(b, port), timeout: 180_000 });
  }
  const problem = ran.status !== 0 ? `exit ${ran.status}` : matches(ran.stdout, expectations(code));
  t.notOk(problem, `${where(b)} (${b.lang})`, problem ? { problem, stdout: ran.stdout.slice(0, 4000), stderr: ran.stderr.slice(0, 4000), code } : {});
}

// SNIPPETS_PAGE=docs/clients.md runs one page (while writing it)
const pages = docPages().filter((p) => !process.env.SNIPPETS_PAGE || p === process.env.SNIPPETS_PAGE);
for (const page of pages) {
  const blocks = fencedBlocks(page);
  if (blocks.length === 0) continue;
  t.test(page, async (t) => {
    for (const b of blocks) {
      if ('skip' in b.marker) t.ok(b.marker.reason, `${where(b)} skipped: ${b.marker.reason || '(the marker gives no reason)'}`);
      else if (!runnable(b.lang) && !DATA.has(b.lang))
        t.fail(`${where(b)}: a \`${b.lang || '(no language)'}\` block the runner cannot run, and no <!-- snippet: skip reason="…" --> before it`);
    }
    const live = blocks.filter((b) => !('skip' in b.marker) && runnable(b.lang));
    // sh blocks: one script per page, and one of its own for a block that needs other settings;
    // beside them (each against a mock of its own), the programs, one after the other
    const shell = live.filter((b) => SHELL.has(b.lang));
    const own = shell.filter((b) => b.marker.settings);
    const shellBlocks = async () => {
      if (shell.length > own.length)
        await runShellPage(
          t,
          page,
          shell.filter((b) => !b.marker.settings),
          {},
        );
      for (const b of own) await runShellPage(t, page, [b], JSON.parse(b.marker.settings));
    };
    const programs = async () => {
      const blocks = live.filter((b) => !SHELL.has(b.lang));
      if (blocks.length === 0) return;
      const mock = await startMockServer({ port: 0 });
      t.teardown(() => mock.close());
      const port = Number(new URL(mock.url).port);
      for (const b of blocks) {
        const tool = PYTHON.has(b.lang) ? 'python' : GO.has(b.lang) ? 'go' : undefined;
        if (tool && !TOOLS[tool]) {
          t.pass(`${where(b)} (${b.lang})`, {
            skip: `no ${tool === 'go' ? 'go (apt-get install -y golang-go)' : 'python3 with requests (apt-get install -y python3-requests)'}; .ci/run installs it`,
          });
          continue;
        }
        await runProgram(t, b, port);
      }
    };
    await Promise.all([shellBlocks(), programs()]);
  });
}

t.test("the runner's own rules", async (t) => {
  t.same(expectations('curl x\n# → {"a":1}\n  // → 200 ok\n# not → this'), ['{"a":1}', '200 ok']);
  t.equal(matches('x {"a":1,"b":2} y', ['{"a":1,…}']), undefined, '… matches anything');
  t.match(matches('b then a', ['a', 'b']), /missing "b"/, 'in the order given');
  t.equal(onPort('curl localhost:8080/x http://127.0.0.1:8080 :18080', 4321), 'curl localhost:4321/x http://127.0.0.1:4321 :18080');
  const page = '<!-- snippet: skip reason="needs a container engine" -->\n```yaml\na: 1\n```\n\n- item\n\n  ```sh\n  echo hi\n  ```\n';
  const [yaml, sh] = fencedBlocks('x.md', page);
  t.same(yaml.marker, { skip: '', reason: 'needs a container engine' });
  t.same([sh.lang, sh.code, sh.marker], ['sh', 'echo hi', {}], 'an indented block in a list, without a marker');
  t.same(parseMarker(`settings='{"allowHttpJwks":true}' env="A=1 B=2"`), { settings: '{"allowHttpJwks":true}', env: 'A=1 B=2' });
});
