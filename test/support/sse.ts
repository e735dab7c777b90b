// A client of GET /__admin/events for tests: the stream parsed as it arrives by an outside parser
// (eventsource-parser, the one the page bundles), on a connection pool of the test's own.
import type { FastifyInstance } from 'fastify';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Agent } from 'undici';

export interface Stream {
  response: Response;
  messages: EventSourceMessage[];
  /** the `retry` the server announced */
  retry: number | undefined;
  comments: string[];
  /** resolves when the server ends the stream */
  ended: Promise<void>;
  /** resolves once `n` messages have arrived */
  next(n: number): Promise<EventSourceMessage[]>;
  abort(): void;
}

/** A connection pool of the test's own, destroyed at its end (before buildApp's teardown closes the app). */
export function pool(t: { teardown(fn: () => unknown): void }): Agent {
  const agent = new Agent();
  t.teardown(() => agent.destroy());
  return agent;
}

/** Polls until `done()` (the test's timeout bounds it). */
export async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 10));
}

export const listen = (app: FastifyInstance): Promise<string> => app.listen({ port: 0, host: '127.0.0.1' });

/**
 * Opens the stream and parses it as it arrives. Each test has its own connection pool (`agent`),
 * destroyed before the server closes: after an abort, undici opens a spare connection that never
 * sends a request, and Node's server.close() waits on such a socket until its headers timeout.
 */
export async function open(url: string, agent: Agent, headers: Record<string, string> = {}): Promise<Stream> {
  const abort = new AbortController();
  const response = await fetch(`${url}/__admin/events`, { headers, signal: abort.signal, dispatcher: agent } as RequestInit);
  const stream: Stream = {
    response,
    messages: [],
    retry: undefined,
    comments: [],
    ended: Promise.resolve(),
    next: () => Promise.resolve([]),
    abort: () => abort.abort(),
  };
  let waiters: (() => void)[] = [];
  const parser = createParser({
    onEvent: (m) => {
      stream.messages.push(m);
      for (const w of waiters) w();
    },
    onRetry: (ms) => (stream.retry = ms),
    onComment: (c) => stream.comments.push(c),
  });
  stream.next = (n) =>
    new Promise((resolve) => {
      const check = () => {
        if (stream.messages.length >= n) {
          waiters = waiters.filter((w) => w !== check);
          resolve(stream.messages.slice(0, n));
        }
      };
      waiters.push(check);
      check();
    });
  if (response.ok && response.body) {
    const decoder = new TextDecoder();
    const reader = response.body.getReader();
    let firstChunk!: () => void;
    const first = new Promise<void>((resolve) => (firstChunk = resolve));
    stream.ended = (async () => {
      try {
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          parser.feed(decoder.decode(r.value, { stream: true }));
          firstChunk();
        }
      } catch {
        // aborted by the test
      }
      firstChunk();
    })();
    await first;
  }
  return stream;
}
