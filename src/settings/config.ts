// Every setting in one place: a TypeBox schema, and the one resolver that turns defaults, a profile,
// SNYK_MOCK_* environment variables and overrides (CLI flags, in-process options) into finished
// Settings. build() takes finished Settings and reads nothing else. Later switches are added here
// and nowhere else (one schema entry + one ENV entry): the CLI flags, --help, and the settings
// table of the README are all derived from this schema.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { packagePath } from './package-paths.js';
import { LATENCY_PATTERN, RATE_LIMIT_PATTERN } from './syntax.js';
import '../schemas/formats.js';

/** The repository's fixtures folder, wherever the process is started from. */
export const DEFAULT_FIXTURES = packagePath('fixtures/default.json');

/** One host name (a leading dot: that domain and its subdomains), an IPv4 address, or an IPv6 one in brackets. */
const HOST_NAME = String.raw`(?:\.?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*|\[[0-9A-Fa-f:.]+\])`;
/** --allowed-hosts: host names, comma-separated. */
const ALLOWED_HOSTS_PATTERN = `^\\s*${HOST_NAME}(?:\\s*,\\s*${HOST_NAME})*\\s*$`;

export const Settings = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'port to listen on (0: any free port)' }),
    host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'address to listen on (0.0.0.0: every interface)' }),
    store: Type.Union([Type.Literal('file'), Type.Literal('memory')], { default: 'file', description: 'keep data in a JSON file, or in memory only' }),
    db: Type.String({ minLength: 1, default: './data/db.json', description: 'the JSON data file; created from the fixtures on first start' }),
    fixtures: Type.String({ minLength: 1, default: DEFAULT_FIXTURES, description: 'fixtures file the store is seeded from (and /__admin/reset returns to)' }),
    demoToken: Type.Optional(Type.String({ minLength: 1, description: 'replaces the API token of the demo user' })),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'pino log level' },
    ),
    logFormat: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], {
      default: 'auto',
      description: 'log lines as JSON, or pretty; auto: pretty when stdout is a terminal',
    }),
    onCorrupt: Type.Union([Type.Literal('fail'), Type.Literal('reseed')], {
      default: 'fail',
      description: 'what to do with an unreadable data file: refuse to start, or move it aside and reseed',
    }),
    allowHttpJwks: Type.Boolean({ default: false, description: 'also accept http:// jwks_url on loopback addresses (tests serving their own JWKS)' }),
    adminSecret: Type.Optional(Type.String({ minLength: 1, description: 'if set, /__admin routes (but health) need `Authorization: Bearer <secret>`' })),
    allowedHosts: Type.Optional(
      Type.String({
        pattern: ALLOWED_HOSTS_PATTERN,
        examples: ['mock.test', 'mock.test,.corp.example'],
        description:
          'Host names the admin routes answer besides loopback ones, comma-separated (.example.com: that domain and its subdomains); also turns the Host rule on when listening on every interface',
      }),
    ),
    https: Type.Boolean({ default: false, description: 'serve HTTPS; without a certificate of your own, with a self-signed one generated at start' }),
    tlsCert: Type.Optional(Type.String({ minLength: 1, description: 'PEM certificate file for HTTPS (give the key file too; turns HTTPS on)' })),
    tlsKey: Type.Optional(Type.String({ minLength: 1, description: 'PEM private key file for HTTPS (give the certificate file too; turns HTTPS on)' })),
    journalSize: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      default: 1000,
      description: 'requests kept in the journal (GET /__admin/requests), newest first; 0 turns it off',
    }),
    now: Type.Optional(
      Type.String({
        format: 'date-time',
        examples: ['2030-01-01T00:00:00Z'],
        description: 'start the clock frozen at this ISO instant (POST /__admin/clock moves it)',
      }),
    ),
    latency: Type.Optional(
      Type.String({
        pattern: LATENCY_PATTERN,
        examples: ['50', '20-200'],
        description: 'delay every answer (but /__admin) by this many ms, or by a random time in a range',
      }),
    ),
    rateLimit: Type.Optional(
      Type.String({
        pattern: RATE_LIMIT_PATTERN,
        examples: ['1620/60s', '3/1m'],
        description: "answer 429 past this many requests per credential per window (Snyk's documented limit: 1620/60s)",
      }),
    ),
    versionCheck: Type.Union([Type.Literal('strict'), Type.Literal('lenient'), Type.Literal('off')], {
      default: 'strict',
      description:
        "the version gate: strict (Snyk's rules), lenient (any well-formed version, future dates included; refused ones get the newest release), off (no version needed)",
    }),
    auth: Type.Union([Type.Literal('strict'), Type.Literal('presence'), Type.Literal('off')], {
      default: 'strict',
      description: 'the authentication gate: strict, presence (an unknown but well-formed credential acts as an all-access user), off (no credential needed)',
    }),
  },
  { additionalProperties: false },
);
export type Settings = Static<typeof Settings>;
export type SettingName = keyof Settings;

/** Environment variable of each setting; `fallback` is read when the first is unset. */
export const ENV: Record<SettingName, string[]> = {
  port: ['SNYK_MOCK_PORT', 'PORT'],
  host: ['SNYK_MOCK_HOST', 'HOST'],
  store: ['SNYK_MOCK_STORE'],
  db: ['SNYK_MOCK_DB'],
  fixtures: ['SNYK_MOCK_FIXTURES'],
  demoToken: ['SNYK_MOCK_DEMO_TOKEN'],
  logLevel: ['SNYK_MOCK_LOG_LEVEL'],
  logFormat: ['SNYK_MOCK_LOG_FORMAT'],
  onCorrupt: ['SNYK_MOCK_ON_CORRUPT'],
  allowHttpJwks: ['SNYK_MOCK_ALLOW_HTTP_JWKS'],
  adminSecret: ['SNYK_MOCK_ADMIN_SECRET'],
  allowedHosts: ['SNYK_MOCK_ALLOWED_HOSTS'],
  https: ['SNYK_MOCK_HTTPS'],
  tlsCert: ['SNYK_MOCK_TLS_CERT'],
  tlsKey: ['SNYK_MOCK_TLS_KEY'],
  journalSize: ['SNYK_MOCK_JOURNAL_SIZE'],
  now: ['SNYK_MOCK_NOW'],
  latency: ['SNYK_MOCK_LATENCY'],
  rateLimit: ['SNYK_MOCK_RATE_LIMIT'],
  versionCheck: ['SNYK_MOCK_VERSION_CHECK'],
  auth: ['SNYK_MOCK_AUTH'],
};

/** The CLI flag of a setting: its name in kebab case (`logLevel` → `--log-level`). */
export const flagOf = (key: SettingName): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Settings whose value is secret: never echoed in error messages or logs. */
const SECRET_SETTINGS: readonly SettingName[] = ['demoToken', 'adminSecret'];

export class SettingsError extends Error {
  override name = 'SettingsError';
}

/**
 * Where a server's settings come from. `cli`: the schema's defaults (port 8080, a file store).
 * `embedded` (startMockServer, build() without settings): a free port on 127.0.0.1, an in-memory
 * store, warnings only. A profile's defaults give way to the environment, which gives way to the overrides.
 */
export type Profile = 'cli' | 'embedded';

const PROFILE_DEFAULTS: Record<Profile, Partial<Settings>> = {
  cli: {},
  embedded: { port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'warn' },
};

export interface SettingsSources {
  /** default: embedded */
  profile?: Profile;
  /** the environment to read SNYK_MOCK_* variables from; none unless given (the CLI gives process.env) */
  env?: NodeJS.ProcessEnv;
  /** flags or in-process options: they win over the environment */
  overrides?: Partial<Record<SettingName, unknown>>;
  /** where each override came from (a flag such as `--port`), for error messages */
  origins?: Partial<Record<SettingName, string>>;
}

/** The one settings resolver: schema defaults < profile defaults < environment < overrides. */
export function resolveSettings({ profile = 'embedded', env = {}, overrides = {}, origins = {} }: SettingsSources = {}): Settings {
  const raw: Record<string, unknown> = { ...PROFILE_DEFAULTS[profile] };
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
      origin[key] = origins[key as SettingName] ?? `option ${key}`;
    }
  }
  for (const key of Object.keys(raw)) {
    if (!(key in Settings.properties)) throw new SettingsError(`unknown setting ${origin[key] ?? key}`);
  }
  const settings = Value.Default(Settings, Value.Convert(Settings, raw)) as Settings;
  if (!Value.Check(Settings, settings)) {
    const e = Value.Errors(Settings, settings).First()!;
    const key = e.path.slice(1).split('/')[0] as SettingName;
    const accepted = describeAccepted(key);
    const shown = SECRET_SETTINGS.includes(key) ? '' : ` ${JSON.stringify(raw[key])}`;
    throw new SettingsError(`invalid value${shown} for ${origin[key] ?? key}: ${accepted ? `expected ${accepted}` : e.message}`);
  }
  // HTTPS with the user's own certificate needs both halves
  if ((settings.tlsCert === undefined) !== (settings.tlsKey === undefined)) {
    const [given, missing] = settings.tlsCert !== undefined ? (['tlsCert', 'tlsKey'] as const) : (['tlsKey', 'tlsCert'] as const);
    throw new SettingsError(`${origin[given] ?? given} needs ${flagOf(missing)} (${ENV[missing][0]}) as well`);
  }
  if (settings.tlsCert) settings.https = true;
  return settings;
}

/** Throws unless `settings` is a finished Settings object (as resolveSettings returns). */
export function assertSettings(settings: unknown): asserts settings is Settings {
  if (Value.Check(Settings, settings)) return;
  const e = Value.Errors(Settings, settings).First();
  throw new SettingsError(`build() needs finished settings (from resolveSettings()): ${e?.path || '/'} ${e?.message}`);
}

/** Human description of a setting's accepted values, for error messages and --help. */
export function describeAccepted(key: SettingName): string {
  const s = Settings.properties[key] as {
    anyOf?: { const: string }[];
    minimum?: number;
    maximum?: number;
    type?: string;
    minLength?: number;
    format?: string;
    examples?: string[];
  };
  if (!s) return '';
  if (s.anyOf) return `one of ${s.anyOf.map((x) => x.const).join(', ')}`;
  if (s.format === 'date-time') return `an ISO 8601 date-time such as ${s.examples![0]}`;
  if (s.examples) return `a value such as ${s.examples.join(' or ')}`;
  if (s.type === 'integer') return `an integer ${s.minimum}..${s.maximum}`;
  if (s.type === 'boolean') return 'true or false (also 1, 0)';
  if (s.type === 'string' && s.minLength) return 'a non-empty string';
  return '';
}

/** One row per setting, for --help and the README table. */
export interface SettingInfo {
  key: SettingName;
  flag: string;
  env: string[];
  type: 'integer' | 'string' | 'boolean' | 'enum';
  values?: string[];
  default?: unknown;
  description: string;
}

export function settingsInfo(): SettingInfo[] {
  return (Object.keys(Settings.properties) as SettingName[]).map((key) => {
    const s = Settings.properties[key] as { anyOf?: { const: string }[]; type?: string; default?: unknown; description?: string };
    return {
      key,
      flag: flagOf(key),
      env: ENV[key],
      type: s.anyOf ? 'enum' : (s.type as SettingInfo['type']),
      ...(s.anyOf ? { values: s.anyOf.map((x) => x.const) } : {}),
      ...(s.default !== undefined ? { default: s.default } : {}),
      description: s.description ?? '',
    };
  });
}
