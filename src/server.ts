// The process: settings → build → listen → graceful close on SIGTERM / SIGINT (in-flight requests
// finish, pending writes are flushed, exit 0).
import type { FastifyInstance } from 'fastify';
import { build, type BuildOptions } from './app.js';

export interface Started {
  app: FastifyInstance;
  url: string;
}

export async function start(opts: BuildOptions = {}): Promise<Started> {
  const app = await build(opts);
  const url = await app.listen({ port: app.settings.port, host: app.settings.host });
  const store = app.store.persistence;
  app.log.info({ url, store: store.kind === 'file' ? store.path : 'memory', storeKind: store.kind }, `snyk-mock listening on ${url} (${store.kind === 'file' ? `data file ${store.path}` : 'in-memory store'})`);
  return { app, url };
}

/** Closes on the first SIGTERM/SIGINT; a second one, or 9 s without finishing, forces the exit. */
export function closeOnSignals(app: FastifyInstance): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    app.log.info({ signal }, 'closing');
    const timer = setTimeout(() => process.exit(1), 9000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
