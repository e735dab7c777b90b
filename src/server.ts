// The process: settings → build → listen → graceful close on SIGTERM / SIGINT (in-flight requests
// finish, pending writes are flushed, exit 0). Nothing is written before the server listens: a start
// that fails (a port in use, a data file another process holds) leaves no file behind.
import type { FastifyInstance } from 'fastify';
import { build, type BuildDeps } from './app.js';
import type { Settings } from './settings/config.js';
import { saveTls } from './settings/tls.js';
import { FilePersistence } from './store/file-persistence.js';

export interface Started {
  app: FastifyInstance;
  url: string;
}

export async function start(settings: Settings, deps: BuildDeps = {}): Promise<Started> {
  const app = await build(settings, deps);
  const url = await listen(app, settings);
  const store = app.store.persistence;
  app.log.info(
    { url, store: store.kind === 'file' ? store.path : 'memory', storeKind: store.kind },
    `snyk-mock listening on ${url} (${store.kind === 'file' ? `data file ${store.path}` : 'in-memory store'})`,
  );
  logTls(app);
  return { app, url };
}

/**
 * Listens, then writes what the start held back (the data file of a first start, a migration, the
 * demo token; a generated certificate). If any of it fails the app is closed, its lock released,
 * and the error thrown.
 */
export async function listen(app: FastifyInstance, settings: Pick<Settings, 'port' | 'host'>): Promise<string> {
  try {
    const url = await app.listen({ port: settings.port, host: settings.host });
    await app.store.started();
    await saveTls(app.tls);
    return url;
  } catch (err) {
    await app.close().catch(() => {});
    throw err;
  }
}

/** Where the HTTPS certificate is, and (self-signed) its PEM, so it can be added to a trust store. */
function logTls(app: FastifyInstance): void {
  const tls = app.tls;
  if (!tls) return;
  if (tls.source === 'files') {
    app.log.info({ certFile: tls.certFile, fingerprint: tls.fingerprint }, `HTTPS with the certificate ${tls.certFile}`);
    return;
  }
  const where = tls.certFile ? `written to ${tls.certFile}` : 'not written to disk (in-memory store): copy it from this line';
  app.log.info(
    { certFile: tls.certFile, fingerprint: tls.fingerprint, certificate: tls.cert },
    `HTTPS with a self-signed certificate for localhost, 127.0.0.1 and ::1 (${tls.source === 'reused' ? 'reused' : 'generated now'}), ${where}; trust it (e.g. NODE_EXTRA_CA_CERTS, curl --cacert) to call the mock over TLS`,
  );
}

/** What closeOnSignals listens to and exits through: the process (tests give a stand-in). */
export interface SignalTarget {
  on(signal: 'SIGTERM' | 'SIGINT', listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

/**
 * Closes on the first SIGTERM/SIGINT (exit 0, or 1 if closing fails); a second one, or `forceAfterMs`
 * without finishing, exits 1 at once. Given the start itself, it listens from now on: a signal during
 * the start closes once it has written what it held back (a failed start is its caller's to report).
 */
export function closeOnSignals(app: FastifyInstance | Promise<FastifyInstance>, target: SignalTarget = process, forceAfterMs = 9000): void {
  const ready = Promise.resolve(app);
  let started: FastifyInstance | undefined;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      started?.log.warn({ signal }, 'second signal: exiting without finishing the close');
      return target.exit(1);
    }
    closing = true;
    const timer = setTimeout(() => target.exit(1), forceAfterMs);
    timer.unref();
    const close = async (instance: FastifyInstance) => {
      instance.log.info({ signal }, 'closing');
      try {
        await instance.close();
        target.exit(0);
      } catch (err) {
        instance.log.error({ err }, 'error while closing');
        target.exit(1);
      } finally {
        clearTimeout(timer);
      }
    };
    ready.then(close, () => clearTimeout(timer));
  };
  target.on('SIGTERM', onSignal);
  target.on('SIGINT', onSignal);
  ready.then(
    (instance) => {
      started = instance;
      // a holder that lost the data file's lock (taken over after all, or removed) writes nothing more
      // (FilePersistence refuses): the process ends rather than keep answering with errors
      const persistence = instance.store.persistence;
      if (persistence instanceof FilePersistence) {
        persistence.lock?.onLost(() => {
          if (closing) return;
          closing = true;
          instance.close().finally(() => target.exit(1));
        });
      }
    },
    () => {},
  );
}
