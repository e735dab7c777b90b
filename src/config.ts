// Every setting in one place: a TypeBox schema, read from SNYK_MOCK_* environment variables (and,
// through the CLI, from flags that win over them). Later switches are added here and nowhere else.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { fileURLToPath } from 'node:url';

/** The repository's fixtures folder, wherever the process is started from. */
export const DEFAULT_FIXTURES = fileURLToPath(new URL('../fixtures/default.json', import.meta.url));

export const Settings = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'port to listen on (0: any free port)' }),
    host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'address to listen on' }),
    store: Type.Union([Type.Literal('file'), Type.Literal('memory')], { default: 'file', description: 'keep data in a JSON file, or in memory only' }),
    db: Type.String({ minLength: 1, default: './data/db.json', description: 'the JSON data file; created from the fixtures on first start' }),
    fixtures: Type.String({ minLength: 1, default: DEFAULT_FIXTURES, description: 'fixtures file the store is seeded from' }),
    demoToken: Type.Optional(Type.String({ minLength: 1, description: 'replaces the API token of the demo user' })),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'pino log level' },
    ),
    onCorrupt: Type.Union([Type.Literal('fail'), Type.Literal('reseed')], {
      default: 'fail',
      description: 'what to do with an unreadable data file: refuse to start, or move it aside and reseed',
    }),
    allowHttpJwks: Type.Boolean({ default: false, description: 'also accept http:// jwks_url on loopback addresses (tests serving their own JWKS)' }),
    adminSecret: Type.Optional(Type.String({ minLength: 1, description: 'if set, /__admin routes (but health) need `Authorization: Bearer <secret>`' })),
    https: Type.Boolean({ default: false, description: 'serve HTTPS with a self-signed certificate generated at start' }),
    tlsCert: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate file for HTTPS (with tlsKey)' })),
    tlsKey: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key file for HTTPS (with tlsCert)' })),
  },
  { additionalProperties: false },
);
export type Settings = Static<typeof Settings>;

/** Environment variable of each setting; `fallback` is read when the first is unset. */
export const ENV: Record<keyof Settings, string[]> = {
  port: ['SNYK_MOCK_PORT', 'PORT'],
  host: ['SNYK_MOCK_HOST', 'HOST'],
  store: ['SNYK_MOCK_STORE'],
  db: ['SNYK_MOCK_DB'],
  fixtures: ['SNYK_MOCK_FIXTURES'],
  demoToken: ['SNYK_MOCK_DEMO_TOKEN'],
  logLevel: ['SNYK_MOCK_LOG_LEVEL'],
  onCorrupt: ['SNYK_MOCK_ON_CORRUPT'],
  allowHttpJwks: ['SNYK_MOCK_ALLOW_HTTP_JWKS'],
  adminSecret: ['SNYK_MOCK_ADMIN_SECRET'],
  https: ['SNYK_MOCK_HTTPS'],
  tlsCert: ['SNYK_MOCK_TLS_CERT'],
  tlsKey: ['SNYK_MOCK_TLS_KEY'],
};

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** Reads settings from the environment, then `overrides` (flags, or the in-process API). */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Settings> = {}): Settings {
  const raw: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  for (const [key, names] of Object.entries(ENV)) {
    const name = names.find((n) => env[n] !== undefined && env[n] !== '');
    if (name) {
      raw[key] = env[name];
      origin[key] = name;
    }
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) {
      raw[key] = value;
      origin[key] = `option ${key}`;
    }
  }
  const settings = Value.Default(Settings, Value.Convert(Settings, raw));
  if (!Value.Check(Settings, settings)) {
    const e = Value.Errors(Settings, settings).First()!;
    const key = e.path.slice(1).split('/')[0];
    const accepted = describeAccepted(key as keyof Settings);
    throw new SettingsError(`invalid ${origin[key] ?? key}=${JSON.stringify((raw as Record<string, unknown>)[key])}: ${e.message}${accepted ? ` (accepted: ${accepted})` : ''}`);
  }
  return settings;
}

/** Human description of a setting's accepted values, for error messages and --help. */
export function describeAccepted(key: keyof Settings): string {
  const s = Settings.properties[key] as { anyOf?: { const: string }[]; minimum?: number; maximum?: number; type?: string };
  if (s.anyOf) return s.anyOf.map((x) => x.const).join(', ');
  if (s.type === 'integer') return `an integer ${s.minimum}..${s.maximum}`;
  return '';
}
