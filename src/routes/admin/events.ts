// GET /__admin/events: the event hub as a Server-Sent Events stream (text/event-stream). The
// dashboard reads it with a streamed fetch, not EventSource, so it can send the admin secret.
// Open streams are ended in preClose: a graceful shutdown never waits on a browser tab.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sseFrame } from '../../services/events.js';

/** A client this far behind (unread bytes buffered) is cut off; the page reconnects and reloads. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEP_ALIVE_MS = 15_000;
/** How long a client waits before reconnecting (the SSE `retry` field). */
const RETRY_MS = 2000;

export default async function eventsRoutes(app: FastifyInstance) {
  const open = new Set<PassThrough>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  // no HEAD: it would open a stream nobody reads
  app.get('/events', { exposeHeadRoute: false }, async (_request, reply) => {
    const stream = new PassThrough();
    const write = (chunk: string) => {
      if (stream.writableEnded) return;
      if (stream.writableLength > MAX_BUFFERED_BYTES) stream.end();
      else stream.write(chunk);
    };
    open.add(stream);
    const unsubscribe = app.events.subscribe((event) => write(sseFrame(event)));
    const keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS).unref();
    stream.once('close', () => {
      open.delete(stream);
      unsubscribe();
      clearInterval(keepAlive);
    });
    write(`retry: ${RETRY_MS}\n: snyk-mock events\n\n`);
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(stream);
  });
}
