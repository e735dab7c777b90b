// Stoplight Prism in mock mode (`prism mock`, @stoplight/prism-cli 5.14.2) on the official spec
// extract: an upstream that answers from the spec's schemas, nothing like Snyk's behaviour. Started
// like test/support/prism.ts starts its proxy, ready when it answers, stopped at teardown.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { request } from 'undici';

const PRISM = fileURLToPath(new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../support/prism-preload.cjs', import.meta.url));
const SPEC = fileURLToPath(new URL('../../spec/service-accounts-subset.json', import.meta.url));

interface Tap {
  teardown(fn: () => unknown): void;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export async function startPrismMock(t: Tap): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', PRELOAD, PRISM, 'mock', SPEC, '--host', '127.0.0.1', '--port', String(port)], {
    env: { ...process.env, PRISM_PARENT_PID: String(process.pid), NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: 'ignore',
  });
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', onExit);
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      await (await request(`${url}/__prism_ready`, { headersTimeout: 2000 })).body.dump();
      return url;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`Prism mock did not start (exit ${child.exitCode})`);
}
