// `snyk-mock parity record|run|compare`: each subcommand parses its own flags (node:util parseArgs)
// and has its own --help. Exit status: 0 done (compare: no difference), 1 compare found differences
// or the command failed, 2 a usage error.
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ownVersion } from './version.js';

const HELP = {
  parity: `snyk-mock parity: measure the mock against the real API (docs/parity.md)

Usage:
  snyk-mock parity record --upstream <url> [--port N] --out <file>
  snyk-mock parity run --base <url> --token <t> --org <id> --group <id> [...]
  snyk-mock parity compare <transcript> [--against <url>] [--json]

Run snyk-mock parity <command> --help for each command's options.`,
  record: `snyk-mock parity record: a recording proxy

Usage: snyk-mock parity record [--upstream <url>] [--port N] [--host H] --out <file>

Forwards /rest, /oauth2 and /v1 to the upstream and answers with its responses, writing every
exchange to the transcript (after each one) with every secret replaced by <secret:N>.
  --upstream <url>  default https://api.snyk.io
  --port <n>        default 8787 (0: any free port)
  --host <h>        default 127.0.0.1
  --out <file>      the transcript to write (required)
Stop it with Ctrl-C; the transcript is complete at every moment.`,
  run: `snyk-mock parity run: the scenarios, through any base URL

Usage: snyk-mock parity run --base <url> --token <t> --org <id> --group <id>
         [--org-role <id>] [--group-role <id>] [--jwks-url <https url>
         [--private-key <pem file> --key-id <kid>]] [--per-minute <n>] [--dry-run]

Drives the 12 service-account operations at org and group level, every auth type, every
rotation mode, the token endpoint and bearer use, the discovery reads and the error paths.
Everything it creates is named with one random prefix and deleted at the end (also after a
failure), then a sweep deletes any account left with that prefix.
  --base <url>         the mock, https://api.snyk.io, or the recording proxy (required)
  --token <t>          an API token of a user with admin rights on the org and group (required)
  --org, --group <id>  an org of the group, and the group (required)
  --org-role, --group-role <id>  role ids for the accounts (default: Org Admin / Group Admin
                       from the group's v1 role list)
  --jwks-url <url>     an https JWKS URL: adds oauth_private_key_jwt accounts
  --private-key <file>, --key-id <kid>  a PKCS#8 PEM key of that JWKS: adds the token exchange
  --per-minute <n>     request rate (default 1560: under Snyk's documented 1620 a minute,
                       bursts included); a 429's retry-after is always waited out
  --dry-run            print the plan, send nothing`,
  compare: `snyk-mock parity compare: replay a transcript against the mock, report every difference

Usage: snyk-mock parity compare <transcript> [--against <url>] [--json]

  --against <url>  a running snyk-mock (seeded through its /__admin/seed); default: a mock
                   started in-process, seeded from the transcript
  --json           the report as JSON
One line per difference: #<exchange> <method> <path>  <status|header|JSON path>: <what>.
Exit 0 when nothing differs, 1 when something does.`,
} as const;

class Usage extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

function parse(argv: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (err) {
    throw new Usage((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

const need = (v: unknown, flag: string): string => {
  if (typeof v !== 'string' || v === '') throw new Usage(`${flag} is required`);
  return v;
};

/** Until SIGINT or SIGTERM. */
const signalled = () =>
  new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

async function record(argv: string[], out: (s: string) => void, until: () => Promise<unknown>): Promise<number> {
  const { values } = parse(argv, { upstream: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, out: { type: 'string' } });
  if (values.help) return (out(HELP.record), 0);
  const { startRecorder } = await import('./record.js');
  const rec = await startRecorder({
    upstream: (values.upstream as string) ?? 'https://api.snyk.io',
    out: need(values.out, '--out'),
    port: Number(values.port ?? 8787),
    host: values.host as string | undefined,
    version: ownVersion(),
  });
  out(`recording proxy on ${rec.url} → ${rec.transcript.meta.upstream}; transcript: ${values.out as string} (Ctrl-C to stop)`);
  await until();
  await rec.close();
  out(`${rec.transcript.exchanges.length} exchanges recorded in ${values.out as string}`);
  return 0;
}

async function runCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const str = { type: 'string' } as const;
  const { values: v } = parse(argv, {
    base: str,
    token: str,
    org: str,
    group: str,
    'org-role': str,
    'group-role': str,
    'jwks-url': str,
    'private-key': str,
    'key-id': str,
    'per-minute': str,
    'dry-run': { type: 'boolean' },
  });
  if (v.help) return (out(HELP.run), 0);
  const s = (k: string) => v[k] as string | undefined;
  const jwks = s('jwks-url');
  if (jwks !== undefined && !jwks.startsWith('https://')) throw new Usage('--jwks-url must be an https URL');
  if ((s('private-key') === undefined) !== (s('key-id') === undefined)) throw new Usage('--private-key and --key-id go together');
  if (s('private-key') && !jwks) throw new Usage('--private-key needs --jwks-url');
  const perMinute = s('per-minute') === undefined ? undefined : Number(s('per-minute'));
  if (perMinute !== undefined && !(perMinute > 0)) throw new Usage('--per-minute must be a positive number');
  let sign: ((clientId: string) => Promise<string>) | undefined;
  if (s('private-key')) {
    const { importPKCS8, SignJWT } = await import('jose');
    const key = await importPKCS8(readFileSync(s('private-key')!, 'utf8'), 'RS256');
    sign = (clientId) =>
      new SignJWT({ jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'RS256', kid: s('key-id')! })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience('https://api.snyk.io/oauth2/token')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key);
  }
  const { run } = await import('./runner.js');
  const dry = v['dry-run'] === true;
  const r = await run({
    base: dry ? (s('base') ?? '<base>') : need(s('base'), '--base'),
    token: dry ? (s('token') ?? '<token>') : need(s('token'), '--token'),
    org: dry ? (s('org') ?? '{org}') : need(s('org'), '--org'),
    group: dry ? (s('group') ?? '{group}') : need(s('group'), '--group'),
    orgRole: s('org-role'),
    groupRole: s('group-role'),
    jwksUrl: jwks,
    sign,
    perMinute,
    dryRun: dry,
    log: out,
  });
  if (!dry)
    out(`done: ${r.sent} requests, ${r.skipped} steps skipped; ${r.left.length ? `NOT deleted: ${r.left.join(', ')}` : 'everything created was deleted'}`);
  return r.left.length ? 1 : 0;
}

async function compareCommand(argv: string[], out: (s: string) => void): Promise<number> {
  const { values, positionals } = parse(argv, { against: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return (out(HELP.compare), 0);
  if (positionals.length !== 1) throw new Usage('give exactly one transcript');
  const { readTranscript } = await import('./transcript.js');
  const { compare, formatReport } = await import('./compare.js');
  const transcript = readTranscript(positionals[0]);
  const r = await compare(transcript, { against: values.against as string | undefined });
  out(values.json ? JSON.stringify({ transcript: positionals[0], meta: transcript.meta, ...r }, null, 2) : formatReport(r));
  return r.differences.length === 0 ? 0 : 1;
}

/** Runs `snyk-mock parity …` (argv after `parity`); resolves with the exit status. `record` runs `until` (default: a signal). */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => console.log(s),
  err: (s: string) => void = (s) => console.error(s),
  until = signalled,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'record') return await record(rest, out, until);
    if (command === 'run') return await runCommand(rest, out);
    if (command === 'compare') return await compareCommand(rest, out);
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') return (out(HELP.parity), 0);
    throw new Usage(`unknown command ${JSON.stringify(command)}`);
  } catch (e) {
    if (e instanceof Usage) {
      err(`snyk-mock parity: ${e.message}\nRun snyk-mock parity ${command && command in HELP ? `${command} ` : ''}--help for the options.`);
      return 2;
    }
    err(`snyk-mock parity: ${(e as Error).message}`);
    return 1;
  }
}
