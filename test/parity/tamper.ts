// The tests' own small proxy in front of an upstream: every exchange goes through `change`, which
// may alter the response (status, headers, JSON body) before it is sent on, and is seen by `seen`
// (the raw traffic, secrets and all: the positive control of the redaction test); `rewrite` may
// change the URL it forwards to.
import { createServer } from 'node:http';
import { request } from 'undici';

export interface Raw {
  method: string;
  path: string;
  query: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface Tap {
  teardown(fn: () => unknown): void;
}

export async function startTamper(
  t: Tap,
  upstream: string,
  change: (x: Raw) => void = () => {},
  rewrite: (url: string) => string = (u) => u,
): Promise<{ url: string; seen: Raw[] }> {
  const seen: Raw[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
        const body = Buffer.concat(chunks).toString();
        const up = await request(`${upstream}${rewrite(req.url!)}`, { method: req.method as 'GET', headers, body: body || undefined });
        const x: Raw = {
          method: req.method!,
          path: req.url!.split('?')[0],
          query: req.url!.split('?')[1] ?? '',
          requestHeaders: headers,
          requestBody: body,
          status: up.statusCode,
          headers: Object.fromEntries(
            Object.entries(up.headers).filter(([k]) => !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)),
          ) as Record<string, string>,
          body: await up.body.text(),
        };
        change(x);
        seen.push(x);
        // a status below 0: the connection drops instead of an answer
        if (x.status < 0) return void req.socket.destroy();
        res.writeHead(x.status, x.headers).end(x.body);
      } catch (err) {
        res.writeHead(502).end(String(err));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}
