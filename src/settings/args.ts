// The command line of `snyk-mock`: one flag per setting (derived from the Settings schema, so flags,
// --help and settings cannot drift apart), flag > environment > default.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { packagePath } from './package-paths.js';
import { resolveSettings, settingsInfo, SettingsError, type SettingName, type Settings } from './config.js';

const USAGE = 'snyk-mock [options]';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags that are not settings of their own. */
const EXTRA_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  'in-memory': { type: 'boolean' },
} as const;

function parseConfig(): { options: Options; byFlag: Map<string, SettingName> } {
  const options: Options = { ...EXTRA_FLAGS };
  const byFlag = new Map<string, SettingName>();
  for (const s of settingsInfo()) {
    const name = s.flag.slice(2);
    options[name] = { type: s.type === 'boolean' ? 'boolean' : 'string' };
    byFlag.set(name, s.key);
    // every switch can also be turned off, to override an environment variable that turns it on
    if (s.type === 'boolean') options[`no-${name}`] = { type: 'boolean' };
  }
  return { options, byFlag };
}

export type CliResult = { action: 'help'; text: string } | { action: 'version'; text: string } | { action: 'start'; settings: Settings };

/** A command-line error: exit status 2, message on stderr. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Parses argv (without node and the script) against `env`; throws UsageError on a bad flag or value. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliResult {
  const { options, byFlag } = parseConfig();
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  } catch (err) {
    const hint = npmHint(argv, env, options);
    throw new UsageError(
      `${(err as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n${hint ?? 'Run snyk-mock --help for the options.'}`,
    );
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { action: 'help', text: helpText() };
  if (values.version) return { action: 'version', text: packageVersion() };

  const overrides: Partial<Record<SettingName, unknown>> = {};
  const origins: Partial<Record<SettingName, string>> = {};
  for (const [name, key] of byFlag) {
    const on = values[name];
    const off = values[`no-${name}`];
    if (on !== undefined && off !== undefined) throw new UsageError(`--${name} and --no-${name} contradict each other`);
    if (on !== undefined || off !== undefined) {
      overrides[key] = off !== undefined ? !off : on;
      origins[key] = off !== undefined ? `--no-${name}` : `--${name}`;
    }
  }
  if (values['in-memory']) {
    if (overrides.store !== undefined && overrides.store !== 'memory') throw new UsageError(`--in-memory contradicts --store ${String(overrides.store)}`);
    overrides.store = 'memory';
    origins.store = '--in-memory';
  }
  try {
    return { action: 'start', settings: resolveSettings({ profile: 'cli', env, overrides, origins }) };
  } catch (err) {
    if (err instanceof SettingsError) throw new UsageError(err.message);
    throw err;
  }
}

/**
 * `npm start --port 18193` (the `--` forgotten): npm keeps `--port` as its own config (the script
 * sees npm_config_port=true) and passes 18193 on as an argument. The flags npm kept are those of
 * ours set in npm_config_*; paired with the stray arguments, they make the command meant.
 */
function npmHint(argv: string[], env: NodeJS.ProcessEnv, options: Options): string | undefined {
  const event = env.npm_lifecycle_event;
  if (!event) return undefined;
  const stray = argv.filter((a) => !a.startsWith('-'));
  if (stray.length === 0) return undefined;
  const run = event === 'start' || event === 'test' ? `npm ${event}` : `npm run ${event}`;
  const kept = Object.keys(options).filter((name) => env[`npm_config_${name.replaceAll('-', '_')}`] !== undefined);
  const valued = kept.filter((name) => options[name].type === 'string');
  const flags = kept.filter((name) => options[name].type === 'boolean').map((name) => `--${name}`);
  // npm does not say which value followed which flag: paired only when there is one
  const paired = valued.length === 1;
  if (paired) flags.push(`--${valued[0]}`, ...stray);
  else flags.push(...valued.flatMap((name) => [`--${name}`, '<value>']));
  const meant = [...flags, ...argv.filter((a) => a.startsWith('-'))].join(' ');
  if (kept.length === 0)
    return `npm passes options on to the script only after \`--\` (\`${run} -- --port 8080\`); "${stray.join(' ')}" is not an option. Run snyk-mock --help for the options.`;
  return `npm took ${kept.map((n) => `--${n}`).join(', ')} as its own config: did you mean \`${run} -- ${meant}\`?${paired ? '' : ` (npm passed ${stray.join(' ')} on as arguments)`}`;
}

/** --help, from the Settings schema. */
export function helpText(): string {
  const lines: string[] = [];
  const entry = (flag: string, ...text: string[]) => lines.push(`  ${flag}`, ...text.map((t) => `      ${t}`));
  for (const s of settingsInfo()) {
    const arg = s.type === 'boolean' ? '' : s.values ? ` <${s.values.join('|')}>` : s.type === 'integer' ? ' <n>' : ' <value>';
    const flag = s.type === 'boolean' ? `${s.flag}, --no-${s.flag.slice(2)}` : `${s.flag}${arg}`;
    const dflt = s.default !== undefined ? `default: ${String(s.default)}; ` : '';
    entry(flag, s.description, `${dflt}env ${s.env.join(', ')}`);
    if (s.key === 'store') entry('--in-memory', 'same as --store memory: nothing is kept between runs');
  }
  entry('-h, --help', 'show this help');
  entry('-v, --version', 'show the version');
  return [
    `snyk-mock ${packageVersion()}: a local emulator of the Snyk service-accounts REST API`,
    '',
    `Usage: ${USAGE}`,
    '',
    'Options (a flag wins over its environment variable, which wins over the default):',
    ...lines,
    '',
    'Admin API: /__admin/health, /__admin/reset, /__admin/seed, /__admin/state, /__admin/{groups,orgs,users,grants}',
    'Testing:   /__admin/requests (journal), /__admin/clock, /__admin/faults, /__admin/rate-limit, /__admin/switches',
    'OpenAPI:   /rest/openapi (versions), /rest/openapi/<version>',
  ].join('\n');
}
