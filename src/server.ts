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
  logTls(app);
  return { app, url };
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
