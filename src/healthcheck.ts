#!/usr/bin/env node
// The container's HEALTHCHECK: asks /__admin/health on the port and protocol the server itself was
// configured with (same settings module), so it keeps working with --https or another port.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { resolveSettings } from './settings/config.js';

const settings = resolveSettings({ profile: 'cli', env: process.env });
const secure = settings.https || Boolean(settings.tlsCert);
const send = secure ? httpsRequest : httpRequest;
// the certificate may be self-signed: this probe checks liveness on loopback, not identity
const req = send({ host: '127.0.0.1', port: settings.port, path: '/__admin/health', timeout: 2500, rejectUnauthorized: false }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
req.end();
