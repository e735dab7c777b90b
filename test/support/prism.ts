// Stoplight Prism's validation proxy (`prism proxy`, @stoplight/prism-cli 5.14.2) in front of a
// running mock: an independent check of every response against the official spec extract. Prism
// reports what it finds in the `sl-violations` response header. Started once per test file (its
// start is slow), ready when it answers, stopped at teardown.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

const PRISM = fileURLToPath(new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./prism-preload.cjs', import.meta.url));
const SPEC = fileURLToPath(new URL('../../spec/service-accounts-subset.json', import.meta.url));

export interface Violation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

interface Tap {
  teardown(fn: () => unknown): void;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts `prism proxy spec/service-accounts-subset.json <upstream>` (no `--errors`: the mock's own
 * error responses reach the client) on a free loopback port; resolves with its base URL once it
 * answers. `upstream` is the mock's /rest base.
 */
export async function startPrism(t: Tap, upstream: string, { attempts = 600, intervalMs = 200 } = {}): Promise<string> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ['--require', PRELOAD, PRISM, 'proxy', SPEC, upstream, '--host', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, PRISM_PARENT_PID: String(process.pid), NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  t.teardown(async () => {
    process.removeListener('exit', onExit);
    await stop(child);
  });
  const url = `http://127.0.0.1:${port}`;
  // readiness by polling, bounded by count: the first start can take many seconds on a busy machine
  for (let i = 0; i < attempts; i++) {
    if (child.exitCode !== null) break;
    try {
      const res = await request(`${url}/__prism_ready`, { headersTimeout: 2000, bodyTimeout: 2000 });
      await res.body.dump();
      return url;
    } catch {
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
  await stop(child);
  throw new Error(`Prism did not start (exit ${child.exitCode}):\n${output.join('').slice(-3000)}`);
}

/** The violations Prism reported on a response (its `sl-violations` header). */
export function violationsOf(headers: Record<string, string | string[] | undefined>): Violation[] {
  const raw = headers['sl-violations'];
  if (raw === undefined) return [];
  return JSON.parse(Array.isArray(raw) ? raw[0] : raw) as Violation[];
}
