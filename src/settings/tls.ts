// HTTPS material: the user's own PEM files (--tls-cert/--tls-key), or a self-signed certificate
// generated at start by `selfsigned` for localhost, 127.0.0.1 and ::1 (plus --host when it is a
// specific name/address). With the file store the generated pair is written beside the data file
// (snyk-mock-cert.pem, snyk-mock-key.pem) once the server listens, and reused while valid, so a trust store that holds the
// certificate keeps working across restarts; with the memory store it lives only in the process.
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Settings } from './config.js';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** how it was obtained */
  source: 'files' | 'generated' | 'reused';
  /** where the certificate PEM is on disk, if anywhere */
  certFile?: string;
  keyFile?: string;
  /** SHA-256 fingerprint of the certificate */
  fingerprint: string;
}

export const CERT_FILE = 'snyk-mock-cert.pem';
export const KEY_FILE = 'snyk-mock-key.pem';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Names and addresses the generated certificate covers. */
function certificateNames(host: string): { dns: string[]; ips: string[] } {
  const dns = new Set(['localhost']);
  const ips = new Set(['127.0.0.1', '::1']);
  if (!WILDCARD.has(host)) (isIP(host) ? ips : dns).add(host);
  return { dns: [...dns], ips: [...ips] };
}

export async function generateCertificate(host: string, now = new Date()): Promise<{ key: string; cert: string }> {
  const { dns, ips } = certificateNames(host);
  // loaded only when a certificate is generated: it costs ~130 ms of start-up otherwise
  const { generate } = await import('selfsigned');
  const pems = await generate(
    [
      { name: 'commonName', value: 'localhost' },
      { name: 'organizationName', value: 'snyk-mock (self-signed)' },
    ],
    {
      keyType: 'ec',
      curve: 'P-256',
      notBeforeDate: new Date(now.getTime() - 60_000),
      notAfterDate: new Date(now.getTime() + 365 * 86_400_000),
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [...dns.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
      ],
    },
  );
  return { key: pems.private, cert: pems.cert };
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A saved pair is reused while it has a day left and covers the names this start needs. */
function reusable(cert: string, host: string, now: Date): boolean {
  try {
    const x = new X509Certificate(cert);
    if (Date.parse(x.validTo) - now.getTime() < 86_400_000) return false;
    const san = x.subjectAltName ?? '';
    const { dns, ips } = certificateNames(host);
    return (
      dns.every((d) => san.includes(`DNS:${d}`)) &&
      ips.every((ip) => san.includes(`IP Address:${ip === '::1' ? '0:0:0:0:0:0:0:1' : ip}`) || san.includes(`IP Address:${ip}`))
    );
  } catch {
    return false;
  }
}

const fingerprint = (cert: string) => new X509Certificate(cert).fingerprint256;

/** The TLS key and certificate for these settings, or undefined when HTTPS is off. */
export async function resolveTls(settings: Settings, now = new Date()): Promise<TlsMaterial | undefined> {
  if (settings.tlsCert && settings.tlsKey) {
    const read = async (path: string, what: string) => {
      try {
        return await readFile(path, 'utf8');
      } catch (err) {
        throw new Error(`cannot read the TLS ${what} ${path}: ${(err as Error).message}`);
      }
    };
    const cert = await read(settings.tlsCert, 'certificate');
    const key = await read(settings.tlsKey, 'private key');
    let fp: string;
    try {
      fp = fingerprint(cert);
    } catch (err) {
      throw new Error(`the TLS certificate ${settings.tlsCert} is not a PEM certificate: ${(err as Error).message}`);
    }
    return { key, cert, source: 'files', certFile: resolve(settings.tlsCert), keyFile: resolve(settings.tlsKey), fingerprint: fp };
  }
  if (!settings.https) return undefined;
  if (settings.store === 'memory') {
    const pair = await generateCertificate(settings.host, now);
    return { ...pair, source: 'generated', fingerprint: fingerprint(pair.cert) };
  }
  const dir = dirname(resolve(settings.db));
  const certFile = join(dir, CERT_FILE);
  const keyFile = join(dir, KEY_FILE);
  const [cert, key] = await Promise.all([readIfExists(certFile), readIfExists(keyFile)]);
  if (cert && key && reusable(cert, settings.host, now)) return { key, cert, source: 'reused', certFile, keyFile, fingerprint: fingerprint(cert) };
  // written by saveTls() once the server listens: a start that fails leaves no file behind
  const pair = await generateCertificate(settings.host, now);
  return { ...pair, source: 'generated', certFile, keyFile, fingerprint: fingerprint(pair.cert) };
}

/** Writes a certificate generated for the file store beside the data file (after a successful start). */
export async function saveTls(tls: TlsMaterial | undefined): Promise<void> {
  if (tls?.source !== 'generated' || !tls.certFile || !tls.keyFile) return;
  await mkdir(dirname(tls.keyFile), { recursive: true });
  await writeFile(tls.keyFile, tls.key, { mode: 0o600 });
  await chmod(tls.keyFile, 0o600);
  await writeFile(tls.certFile, tls.cert, { mode: 0o644 });
}
