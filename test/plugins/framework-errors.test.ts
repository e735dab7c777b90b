// Every error the framework or Node's HTTP server would answer in its own shape leaves as a Snyk
// ErrorDocument: bad percent-encoding, an over-long path segment, oversized headers, a malformed
// request, both framings at once, an oversized body, a missing or bad Host, an unknown Expect, and
// timeouts. Sent through a real socket, since inject() never reaches Node's parser.
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, IDS, TOKENS, V } from '../helper.js';
import { errorDocumentErrors } from '../support/spec.js';
import { connect } from 'node:net';
import { parseResponse, rawRequest, type RawResponse } from '../support/raw-http.js';

const org = `/rest/orgs/${IDS.frontend}/service_accounts`;

async function listening(t: Test, tune?: (app: FastifyInstance) => void): Promise<number> {
  const app = await buildApp(t);
  tune?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

/** Asserts an ErrorDocument response: status, media type, request id, and the spec's schema. */
function expectDocument(t: Test, res: RawResponse, status: number, detail: RegExp) {
  t.equal(res.status, status, `${status}: ${res.raw.slice(0, 300)}`);
  t.match(res.headers['content-type'], /^application\/vnd\.api\+json/, 'JSON:API media type');
  t.match(res.headers['snyk-request-id'], /^[0-9a-f-]{36}$/, 'snyk-request-id');
  const body = JSON.parse(res.body);
  t.same(errorDocumentErrors(body), [], 'an ErrorDocument as the spec defines it');
  t.equal(body.errors[0].status, String(status));
  t.match(body.errors[0].detail, detail);
}

const get = (port: number, target: string, extra = '') =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: token ${TOKENS.admin}\r\n${extra}Connection: close\r\n\r\n`;

t.test('errors found before routing (frameworkErrors)', async (t) => {
  const port = await listening(t);
  expectDocument(t, await rawRequest(port, get(port, `/rest/orgs/%E0%A4%A/service_accounts?version=${V}`)), 400, /percent-encoded sequence/);
  expectDocument(
    t,
    await rawRequest(port, get(port, `/rest/orgs/${'a'.repeat(3000)}/service_accounts?version=${V}`)),
    414,
    /too long: a path segment exceeds 2048/,
  );
  // below that bound a long id is routed, and is a bad uuid like any other
  const long = await rawRequest(port, get(port, `/rest/orgs/${'a'.repeat(200)}/service_accounts?version=${V}`));
  expectDocument(t, long, 400, /Invalid path parameter 'org_id'/);
  t.same(JSON.parse(long.body).errors[0].source, { parameter: 'org_id' });
});

t.test("requests Node's parser refuses (clientError)", async (t) => {
  const port = await listening(t);
  expectDocument(t, await rawRequest(port, get(port, `${org}?version=${V}`, `X-Big: ${'x'.repeat(20_000)}\r\n`)), 431, /at most 16 KiB/);
  expectDocument(t, await rawRequest(port, get(port, `/rest/${'a'.repeat(20_000)}`)), 431, /at most 16 KiB/);
  expectDocument(t, await rawRequest(port, 'GARBAGE\r\n\r\n'), 400, /not valid HTTP\/1\.1.*HPE_/);
  expectDocument(t, await rawRequest(port, `GET /rest/self?version=${V} HTTP/9.9\r\nHost: x\r\n\r\n`), 400, /not valid HTTP\/1\.1/);
  expectDocument(t, await rawRequest(port, get(port, `${org}?version=${V}`, 'Bad Header: x\r\n')), 400, /HPE_INVALID_HEADER_TOKEN/);
  const both = `POST ${org}?version=${V} HTTP/1.1\r\nHost: x\r\nContent-Type: application/vnd.api+json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`;
  expectDocument(t, await rawRequest(port, both), 400, /not valid HTTP\/1\.1/);
  const badChunk = `POST ${org}?version=${V} HTTP/1.1\r\nHost: x\r\nAuthorization: token ${TOKENS.admin}\r\nContent-Type: application/vnd.api+json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`;
  expectDocument(t, await rawRequest(port, badChunk), 400, /HPE_INVALID_CHUNK_SIZE/);
  // the server still serves
  t.equal((await rawRequest(port, get(port, `${org}?version=${V}`))).status, 200);
});

t.test('an oversized body: 413', async (t) => {
  const port = await listening(t);
  const body = 'x'.repeat(1024 * 1024 + 1);
  const res = await rawRequest(
    port,
    `POST ${org}?version=${V} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: token ${TOKENS.admin}\r\nContent-Type: application/vnd.api+json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  expectDocument(t, res, 413, /too large: at most 1 MiB/);
  t.equal(JSON.parse(res.body).errors[0].code, 'SNYK-OPENAPI-0006');
});

t.test('Host: required on HTTP/1.1 (RFC 9112 §3.2), optional on HTTP/1.0, and must be a host', async (t) => {
  const port = await listening(t);
  expectDocument(
    t,
    await rawRequest(port, `GET /rest/self?version=${V} HTTP/1.1\r\nAuthorization: token ${TOKENS.admin}\r\nConnection: close\r\n\r\n`),
    400,
    /must carry a Host header/,
  );
  expectDocument(t, await rawRequest(port, get(port, `${org}?version=${V}`).replace(/Host: [^\r]+/, 'Host: bad host')), 400, /not a valid host/);
  expectDocument(t, await rawRequest(port, get(port, `${org}?version=${V}`, 'Host: other.example\r\n')), 400, /one Host header, not several/);
  const old = await rawRequest(port, `GET ${org}?version=${V} HTTP/1.0\r\nAuthorization: token ${TOKENS.admin}\r\n\r\n`);
  t.equal(old.status, 200, 'HTTP/1.0 without Host');
  t.equal(old.headers.location, `http://127.0.0.1:${port}${org}`, 'its location names the address it reached');
  // /oauth2 answers in its own shape, still a 400 (not a server error)
  const oauth = await rawRequest(
    port,
    'POST /oauth2/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
  );
  t.equal(oauth.status, 400);
  t.same(JSON.parse(oauth.body), { error: 'invalid_request', error_description: 'An HTTP/1.1 request must carry a Host header.' });
});

t.test('an Expect other than 100-continue: 417; CONNECT: 405', async (t) => {
  const port = await listening(t);
  expectDocument(t, await rawRequest(port, get(port, `${org}?version=${V}`, 'Expect: teapot\r\n')), 417, /Expect: teapot is not supported/);
  const connectRes = await rawRequest(port, 'CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n');
  expectDocument(t, connectRes, 405, /CONNECT is not allowed/);
  t.equal(connectRes.headers.allow, 'GET, HEAD, POST, PATCH, DELETE');
  // an Upgrade nobody serves is an ordinary request
  t.equal((await rawRequest(port, get(port, `/rest/self?version=${V}`, 'Upgrade: websocket\r\n'))).status, 200);
});

t.test('timeouts: headers or body not received in time → 408', async (t) => {
  // Node checks its timers every connectionsCheckingInterval; shortened here so the test is quick
  const port = await listening(t, (app) => {
    const server = app.server as typeof app.server & { connectionsCheckingInterval: number };
    server.connectionsCheckingInterval = 50;
    server.headersTimeout = 300;
    server.requestTimeout = 600;
  });
  // the head never ends
  expectDocument(t, await rawRequest(port, `GET ${org}?version=${V} HTTP/1.1\r\nHost: x\r\n`), 408, /not received in time/);
  // the body never arrives whole
  const stalled = `POST ${org}?version=${V} HTTP/1.1\r\nHost: x\r\nAuthorization: token ${TOKENS.admin}\r\nContent-Type: application/vnd.api+json\r\nContent-Length: 100\r\n\r\n{"data":`;
  expectDocument(t, await rawRequest(port, stalled), 408, /not received in time/);
  t.equal((await rawRequest(port, get(port, `${org}?version=${V}`))).status, 200, 'the server still serves');
});

t.test('a request that arrives while the server shuts down: 503 ErrorDocument', async (t) => {
  const app = await buildApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const socket = connect(port, '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  const ended = new Promise((resolve) => socket.on('close', resolve));
  await new Promise((resolve) => socket.once('connect', resolve));
  // request A is routed and waits for its body, so the connection is busy when the close begins
  const body = JSON.stringify({ data: { type: 'service_account', attributes: { name: 'closing', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } });
  socket.write(
    `POST ${org}?version=${V} HTTP/1.1\r\nHost: x\r\nAuthorization: token ${TOKENS.admin}\r\nContent-Type: application/vnd.api+json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
  );
  for (let i = 0; i < 1000 && app.server.listening; i++) await new Promise((r) => setTimeout(r, 5));
  t.equal(app.server.listening, true, 'still listening before the close');
  const closed = app.close();
  // the server stops listening once the preClose hooks have run
  for (let i = 0; i < 1000 && app.server.listening; i++) await new Promise((r) => setTimeout(r, 5));
  t.equal(app.server.listening, false, 'closing');
  // the rest of A, then B on the same connection
  socket.write(`${body.slice(5)}GET ${org}?version=${V} HTTP/1.1\r\nHost: x\r\nAuthorization: token ${TOKENS.admin}\r\nConnection: close\r\n\r\n`);
  await ended;
  await closed;
  const raw = Buffer.concat(received);
  const first = parseResponse(raw);
  t.equal(first.status, 201, 'the request in flight completes');
  const second = parseResponse(raw.subarray(raw.indexOf(first.body) + Buffer.byteLength(first.body)));
  expectDocument(t, second, 503, /shutting down/);
  t.equal(JSON.parse(second.body).errors[0].code, 'SNYK-0009');
});
