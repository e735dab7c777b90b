// The container HEALTHCHECK script (src/healthcheck.ts) against live servers: it asks on the port and
// protocol the server was configured with, and fails when the answer does not come.
import t from 'tap';
import type { AddressInfo } from 'node:net';
import { startMockServer } from '../src/index.js';
import { buildApp } from './helper.js';
import { HEALTHCHECK, runAsync } from './support/process.js';

const check = (env: Record<string, string>) => new Promise<number | null>((resolve) => runAsync(HEALTHCHECK, [], env).on('exit', (code) => resolve(code)));

t.test('http: exit 0 when the server answers, 1 when it does not', async (t) => {
  const app = await buildApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = String((app.server.address() as AddressInfo).port);
  // independent probes run at once (each is a process of its own)
  const [plain, tls] = await Promise.all([check({ SNYK_MOCK_PORT: port }), check({ SNYK_MOCK_PORT: port, SNYK_MOCK_HTTPS: 'true' })]);
  t.equal(plain, 0);
  t.equal(tls, 1, 'an https probe of an http server fails');
  await app.close();
  t.equal(await check({ SNYK_MOCK_PORT: port }), 1, 'nothing listening');
});

t.test('https (self-signed): the probe speaks TLS when the settings say so', async (t) => {
  const mock = await startMockServer({ https: true });
  t.teardown(() => mock.close());
  const port = new URL(mock.url).port;
  const [tls, plain] = await Promise.all([check({ SNYK_MOCK_PORT: port, SNYK_MOCK_HTTPS: 'true' }), check({ SNYK_MOCK_PORT: port })]);
  t.equal(tls, 0, 'https probe, self-signed certificate accepted');
  t.equal(plain, 1, 'an http probe of an https server fails');
});
