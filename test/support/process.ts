// Runs the source entry points (src/cli.ts, src/healthcheck.ts) in a child process through tap's
// TypeScript loader: tests exercise the code as it is, never a dist/ that may be stale.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// tap's own TypeScript loader (with tsconfig.json's ts-node settings, as the tests): tap follows child
// processes for coverage, and a child transpiled otherwise maps the same files with other positions,
// which merge into nonsense
const TS_LOADER = import.meta.resolve('@tapjs/typescript/import');
export const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
export const HEALTHCHECK = fileURLToPath(new URL('../../src/healthcheck.ts', import.meta.url));

/** Node's arguments to run a source script. */
export const nodeArgs = (script: string, args: string[] = []) => ['--import', TS_LOADER, script, ...args];

/**
 * A child's environment: only PATH, the loader's settings and `env` (nothing of the test's own
 * environment leaks in). The tsconfig is named: ts-node looks for one from the working directory,
 * and a child working elsewhere would be transpiled another way, with other positions.
 */
export const childEnv = (env: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  TS_NODE_TRANSPILE_ONLY: '1',
  TS_NODE_PROJECT: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)),
  ...env,
});

export function runSync(script: string, args: string[] = [], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, nodeArgs(script, args), { encoding: 'utf8', env: childEnv(env) });
}

/** Runs `script` to its end without blocking the test's event loop (several can run at once). */
export function run(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = runAsync(script, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function runAsync(script: string, args: string[] = [], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, nodeArgs(script, args), { env: childEnv(env), stdio: 'pipe' });
}

/** Starts the CLI; resolves with the child and the URL it logs once listening (and `also` has been logged). */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  also?: RegExp,
): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const child = runAsync(CLI, args, { SNYK_MOCK_LOG_FORMAT: 'json', ...env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = /snyk-mock listening on (https?:\/\/[^\s"()]+)/.exec(out);
      if (m && (!also || also.test(out))) {
        child.stdout.off('data', check);
        child.off('exit', exited);
        resolve({ child, url: m[1], output: () => out });
      }
    };
    const exited = (code: number | null) => reject(new Error(`snyk-mock exited (${code}) before listening: ${err}${out}`));
    child.stdout.on('data', check);
    child.on('exit', exited);
  });
}

/** Sends `signal` and resolves with the exit code. */
export function stop(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
