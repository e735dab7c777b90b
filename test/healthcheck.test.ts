// The container HEALTHCHECK script (dist/healthcheck.js, built by `npm test`) against a live server.
import t from 'tap';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { buildApp } from './helper.js';

const run = promisify(execFile);
const check = (env: Record<string, string>) =>
  run(process.execPath, ['dist/healthcheck.js'], { env: { PATH: process.env.PATH, ...env } }).then(
    () => 0,
    (err: { code?: number }) => err.code ?? -1,
  );

t.test('exit 0 when the server answers, 1 when it does not', async (t) => {
  const app = await buildApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  t.equal(await check({ SNYK_MOCK_PORT: String(port) }), 0);
  await app.close();
  t.equal(await check({ SNYK_MOCK_PORT: String(port) }), 1, 'nothing listening');
  t.equal(await check({ SNYK_MOCK_PORT: String(port), SNYK_MOCK_HTTPS: 'true' }), 1, 'https probe, nothing listening');
});
