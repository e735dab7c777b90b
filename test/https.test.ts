// HTTPS: a self-signed certificate generated at start (trusted through `ca`), kept beside the data
// file and reused, the user's own certificate files, and a graceful stop of the real binary.
import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { startMockServer } from '../src/index.js';
import { CERT_FILE, generateCertificate, KEY_FILE } from '../src/settings/tls.js';
import { startCli, stop } from './support/process.js';
const tmp = () => mkdtempSync(join(tmpdir(), 'snyk-mock-https-'));

async function get(url: string, ca?: string) {
  const dispatcher = new Agent({ connect: ca ? { ca } : {} });
  try {
    const res = await request(url, { dispatcher, headers: { authorization: 'token 11111111-1111-4111-8111-111111111111' } });
    return { status: res.statusCode, body: await res.body.json() };
  } finally {
    await dispatcher.close();
  }
}

t.test('--https with the generated certificate', async (t) => {
  const mock = await startMockServer({ https: true });
  t.teardown(() => mock.close());
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  t.ok(mock.ca, 'the certificate to trust');
  const port = new URL(mock.url).port;
  for (const host of ['127.0.0.1', 'localhost']) {
    const res = await get(`https://${host}:${port}/rest/self?version=2024-10-15`, mock.ca);
    t.equal(res.status, 200, host);
  }
  const cert = new X509Certificate(mock.ca!);
  t.match(cert.subjectAltName, /DNS:localhost/);
  t.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/);
  t.match(cert.subjectAltName, /IP Address:(::1|0:0:0:0:0:0:0:1)/);
  t.ok(Date.parse(cert.validTo) > Date.now() + 300 * 86_400_000, 'valid for about a year');
  await t.rejects(get(`${mock.url}/__admin/health`), /self.signed|certificate/i, 'untrusted without the ca');
});

t.test('file store: the pair is written beside the data file and reused', async (t) => {
  const dir = tmp();
  const db = join(dir, 'db.json');
  const first = await startMockServer({ https: true, store: db });
  const ca1 = first.ca!;
  await first.close();
  t.equal(readFileSync(join(dir, CERT_FILE), 'utf8'), ca1, `the certificate is at ${CERT_FILE}`);
  t.ok(existsSync(join(dir, KEY_FILE)));
  t.equal(statSync(join(dir, KEY_FILE)).mode & 0o077, 0, 'the key is private to its owner');
  const second = await startMockServer({ https: true, store: db });
  t.teardown(() => second.close());
  t.equal(second.ca, ca1, 'reused: a trust store keeps working across restarts');
  t.equal(second.app.tls?.source, 'reused');
  t.equal((await get(`${second.url}/__admin/health`, ca1)).status, 200);
});

t.test("--tls-cert / --tls-key: the user's own files", async (t) => {
  const dir = tmp();
  const pair = await generateCertificate('127.0.0.1');
  writeFileSync(join(dir, 'cert.pem'), pair.cert);
  writeFileSync(join(dir, 'key.pem'), pair.key);
  const mock = await startMockServer({ tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') });
  t.teardown(() => mock.close());
  t.match(mock.url, /^https:/, 'the files turn HTTPS on');
  t.equal(mock.ca, pair.cert);
  t.equal(mock.app.tls?.source, 'files');
  t.equal((await get(`${mock.url}/__admin/health`, pair.cert)).status, 200);
  await t.rejects(startMockServer({ tlsCert: join(dir, 'missing.pem'), tlsKey: join(dir, 'key.pem') }), /cannot read the TLS certificate/);
  await t.rejects(startMockServer({ tlsCert: join(dir, 'key.pem'), tlsKey: join(dir, 'key.pem') }), /not a PEM certificate/);
});

t.test('the binary over HTTPS: certificate in the log and beside the data, graceful SIGTERM', async (t) => {
  const dir = tmp();
  const { child, url, output } = await startCli(['--https', '--port', '0', '--db', join(dir, 'db.json'), '--log-format', 'json'], {}, /"certificate":/);
  t.match(url, /^https:/);
  const line = output()
    .split('\n')
    .map((l) => (l.startsWith('{') ? JSON.parse(l) : {}))
    .find((l) => l.certificate);
  t.equal(line.certFile, join(dir, CERT_FILE), 'the log says where the certificate is');
  t.equal(line.certificate, readFileSync(join(dir, CERT_FILE), 'utf8'), 'and prints its PEM');
  t.equal((await get(`${url}/__admin/health`, line.certificate)).status, 200);
  t.equal(await stop(child), 0, 'exit 0 on SIGTERM');
});
