// The recording proxy: forwards /rest, /oauth2 and /v1 to the upstream, answers with the upstream's
// response, and writes each exchange (redacted) to the transcript after every exchange, so a
// recording stopped at any moment is a whole transcript.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request } from 'undici';
import { Redactor } from './redact.js';
import { parseBody, TRANSCRIPT_FORMAT, writeTranscript, type Exchange, type Transcript } from './transcript.js';

const PROXIED = /^\/(rest|oauth2|v1)(\/|$|\?)/;
/** Request headers not forwarded: the connection's own (undici sets them for the upstream). */
const HOP = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding', 'upgrade', 'proxy-connection']);
const HOP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

export interface RecorderOptions {
  upstream: string;
  out: string;
  port?: number;
  host?: string;
  /** the recorder's own version (metadata) */
  version: string;
}

export interface Recorder {
  url: string;
  server: Server;
  transcript: Transcript;
  /** the redactor (tests scan the transcript for every secret it saw) */
  redactor: Redactor;
  close(): Promise<void>;
}

/** Whether the upstream is Snyk itself (api.snyk.io and its regional hosts). */
const isSnyk = (upstream: string) => /(^|\.)snyk\.io$/i.test(new URL(upstream).hostname);

/** A snyk-mock answers GET /__admin/health with {status: "ok"}; it does not say its version, so the recorder's is taken. */
async function mockVersion(upstream: string, version: string): Promise<string | null> {
  if (isSnyk(upstream)) return null;
  try {
    const res = await request(new URL('/__admin/health', upstream), { headersTimeout: 5000, bodyTimeout: 5000 });
    const body = (await res.body.json().catch(() => null)) as { status?: string } | null;
    return res.statusCode === 200 && body?.status === 'ok' ? version : null;
  } catch {
    return null;
  }
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startRecorder(opts: RecorderOptions): Promise<Recorder> {
  const upstream = opts.upstream.replace(/\/+$/, '');
  const redactor = new Redactor();
  const made = !isSnyk(upstream);
  const transcript: Transcript = {
    format: TRANSCRIPT_FORMAT,
    meta: {
      upstream,
      recorded_at: new Date().toISOString(),
      made_here: made,
      mock_version: null,
      recorder_version: opts.version,
      note: made ? `Made here: recorded against ${upstream}, not against Snyk.` : `Recorded against Snyk (${upstream}).`,
      secret_forms: redactor.forms,
    },
    exchanges: [],
  };
  const save = () => {
    transcript.exchanges = redactor.scrub(transcript.exchanges);
    writeTranscript(opts.out, transcript);
  };
  save();

  // asked once, before the first exchange (the upstream may start after the proxy)
  let probed: Promise<void> | undefined;
  const probe = async () => {
    const mock = await mockVersion(upstream, opts.version);
    transcript.meta.mock_version = mock;
    if (mock)
      transcript.meta.note = `Made here: recorded against ${upstream}, a snyk-mock (taken to be the recorder's version, ${mock}), not against Snyk. It measures the mock against itself.`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    await (probed ??= probe());
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    if (!PROXIED.test(url.pathname)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not proxied: only /rest, /oauth2 and /v1 are forwarded' }));
      return;
    }
    const raw = await readAll(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    headers['accept-encoding'] = 'identity';
    const up = await request(`${upstream}${url.pathname}${url.search}`, {
      method: req.method as 'GET',
      headers,
      body: raw.length > 0 ? raw : undefined,
      headersTimeout: 60_000,
      bodyTimeout: 60_000,
    });
    const body = Buffer.from(await up.body.arrayBuffer());
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_RESPONSE.has(k)) out[k] = v;
    res.writeHead(up.statusCode, out).end(body);

    const ct = (n: Record<string, unknown>) => (typeof n['content-type'] === 'string' ? n['content-type'] : undefined);
    const exchange: Exchange = {
      index: transcript.exchanges.length,
      request: {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: redactor.pairs([...url.searchParams]),
        headers: redactor.requestHeaders(req.headers),
        body: redactor.body(parseBody(ct(req.headers), raw.toString('utf8'))),
      },
      response: { status: up.statusCode, headers: {}, body: redactor.body(parseBody(ct(up.headers), body.toString('utf8'))) },
    };
    exchange.response.headers = redactor.responseHeaders(up.headers);
    transcript.exchanges.push(exchange);
    save();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `upstream: ${err.message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    server,
    transcript,
    redactor,
    close: () =>
      new Promise<void>((resolve) => {
        save();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
