// The generated parts of the docs: the settings table (docs/settings.md) and the admin routes with
// their bodies (docs/fixtures-and-admin-api.md), from the same TypeBox schemas the server validates
// with. `npm run docs:reference` writes them between their markers; a test fails when the committed
// text differs from what this renders.
import { build } from '../app.js';
import { compiledSchemas, type CompiledSchemas } from '../plugins/compiled-schemas.js';
import { describeAccepted, settingsInfo } from '../settings/config.js';

export const GENERATED = {
  settings: { page: 'docs/settings.md', name: 'settings' },
  admin: { page: 'docs/fixtures-and-admin-api.md', name: 'admin-routes' },
} as const;

const begin = (name: string) => `<!-- generated:${name} begin (npm run docs:reference; do not edit by hand) -->`;
const end = (name: string) => `<!-- generated:${name} end -->`;

/** `text` with what lies between the markers of `name` replaced by `content`; throws when a marker is missing. */
export function replaceGenerated(text: string, name: string, content: string): string {
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from < 0 || to < from) throw new Error(`the markers of ${name} are missing: ${begin(name)} … ${end(name)}`);
  return `${text.slice(0, from + begin(name).length)}\n${content}\n${text.slice(to)}`;
}

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The settings table: one row per setting of the Settings schema, plus the flags that are not settings. */
export function renderSettingsTable(): string {
  const rows = ['| Flag | Environment variable | Default | Accepted values | What it does |', '|---|---|---|---|---|'];
  for (const s of settingsInfo()) {
    const arg = s.type === 'boolean' ? '' : s.type === 'integer' ? ' <n>' : ' <value>';
    const flag = s.type === 'boolean' ? `${code(s.flag)} / ${code(`--no-${s.flag.slice(2)}`)}` : code(`${s.flag}${arg}`);
    const dflt = s.key === 'fixtures' ? '`fixtures/default.json` of the package' : s.default !== undefined ? code(String(s.default)) : '(unset)';
    const accepted = s.values ? s.values.map(code).join(', ') : describeAccepted(s.key);
    rows.push(`| ${flag} | ${s.env.map(code).join(', ')} | ${dflt} | ${cell(accepted)} | ${cell(s.description)} |`);
    if (s.key === 'store') rows.push('| `--in-memory` | (`SNYK_MOCK_STORE=memory`) | | | same as `--store memory`: nothing is kept between runs |');
  }
  rows.push('| `-h`, `--help` | | | | prints the options (generated from the same settings schema) |');
  rows.push('| `-v`, `--version` | | | | prints the version |');
  return rows.join('\n');
}

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxItems?: number;
}

/** A short type: `string (uuid)`, `integer 0..100`, `"a" \| "b"`, `array of object`. */
function typeOf(s: Schema): string {
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map(typeOf).join(' or ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (s.type === 'array') return `array of ${s.items ? typeOf(s.items) : 'any'}${s.maxItems !== undefined ? ` (at most ${s.maxItems})` : ''}`;
  const t = Array.isArray(s.type) ? s.type.join(' or ') : (s.type ?? 'any');
  if (s.format) return `${t} (${s.format})`;
  if (s.minimum !== undefined || s.maximum !== undefined) return `${t} ${s.minimum ?? ''}..${s.maximum ?? ''}`;
  return t;
}

/** One row per member of an object schema (one level down for arrays of objects and object members). */
function members(s: Schema, prefix = ''): string[] {
  if (s.anyOf && s.anyOf.every((x) => x.properties)) return s.anyOf.flatMap((x, i) => [`| *either (${i + 1})* | | |`, ...members(x, prefix)]);
  const rows: string[] = [];
  for (const [name, m] of Object.entries(s.properties ?? {})) {
    const req = s.required?.includes(name) ? 'yes' : '';
    rows.push(`| ${code(prefix + name)} | ${cell(typeOf(m))} | ${req} | ${cell(m.description ?? '')} |`);
    const inner = m.type === 'array' ? m.items : m;
    if (inner?.properties && !prefix) rows.push(...members(inner, `${name}${m.type === 'array' ? '[]' : ''}.`));
  }
  return rows;
}

function table(title: string, s: Schema | undefined): string[] {
  if (!s?.properties && !s?.anyOf) return [];
  return [`${title}:`, '', '| member | type | required | description |', '|---|---|---|---|', ...members(s), ''];
}

interface Route {
  method: string;
  url: string;
  parts: Partial<Record<'body' | 'querystring' | 'params', Schema>>;
  responses: Record<string, Schema>;
}

/** Builds the app with compilers that note each route's schemas, then lists its /__admin routes. */
async function adminRoutes(): Promise<Route[]> {
  const routes = new Map<string, Route>();
  const note = (r: { method: string; url: string }) => {
    const key = `${r.method} ${r.url}`;
    if (!routes.has(key)) routes.set(key, { method: r.method, url: r.url, parts: {}, responses: {} });
    return routes.get(key)!;
  };
  const read = compiledSchemas('read');
  const factory = read.controller.compilersFactory as {
    buildValidator: (...a: unknown[]) => (r: never) => unknown;
    buildSerializer: (...a: unknown[]) => (r: never) => unknown;
  };
  type Def = { method: string; url: string; httpPart?: 'body' | 'querystring' | 'params'; httpStatus?: string; schema: Schema };
  const recording: CompiledSchemas = {
    ...read,
    controller: {
      compilersFactory: {
        buildValidator: (...a: unknown[]) => {
          const inner = factory.buildValidator(...a);
          return (r: Def) => {
            if (r.httpPart && r.httpPart !== ('headers' as string)) note(r).parts[r.httpPart] = r.schema;
            return inner(r as never);
          };
        },
        buildSerializer: (...a: unknown[]) => {
          const inner = factory.buildSerializer(...a);
          return (r: Def) => {
            if (r.httpStatus) note(r).responses[r.httpStatus] = r.schema;
            return inner(r as never);
          };
        },
      },
    } as never,
  };
  const app = await build(undefined, { logger: false, compiledSchemas: recording });
  try {
    await app.ready();
    // routes without any schema (e.g. GET /__admin/state) are listed too
    // printRoutes draws a tree, four columns a level (the root "/" at the first): a node's path is its parent's plus its own
    const parents: string[] = [];
    for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = /^([\s│├└─]*)(\S+) \(([A-Z, ]+)\)$/.exec(line);
      if (!m) continue;
      const depth = m[1].length / 4 - 1;
      const url = depth === 0 ? m[2] : `${parents[depth - 1].replace(/\/$/, '')}${m[2].startsWith('/') ? '' : '/'}${m[2]}`;
      parents[depth] = url;
      for (const method of m[3].split(', ')) if (method !== 'HEAD') note({ method, url });
    }
  } finally {
    await app.close();
  }
  return [...routes.values()]
    .filter((r) => r.url.startsWith('/__admin') && !r.url.startsWith('/__admin/ui') && r.method !== 'HEAD')
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
}

/** The admin routes: method and path, query, body, and the members of each success response. */
export async function renderAdminReference(): Promise<string> {
  const out: string[] = [];
  for (const r of await adminRoutes()) {
    out.push(`#### \`${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}\``, '');
    out.push(...table('Query parameters', r.parts.querystring), ...table('Body (`application/json`)', r.parts.body));
    const ok = Object.entries(r.responses).filter(([status]) => status.startsWith('2'));
    if (ok.length === 0) out.push('Answer: not described by a schema (see above).', '');
    for (const [status, schema] of ok) {
      const shape = schema.type === 'null' ? 'no body' : schema.properties ? `\`{ ${Object.keys(schema.properties).join(', ')} }\`` : typeOf(schema);
      out.push(`Answer \`${status}\`: ${shape}.`, '');
    }
  }
  return out.join('\n').trimEnd();
}
