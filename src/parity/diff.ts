// The structural diff of one exchange: the upstream's recorded response against the mock's, under
// the rules of normalise.ts. Values issued per run are compared by form and learnt into the IdMap
// as they are met, so that a later appearance must be the mock's own value for the same thing.
import { type IdMap, parseLink } from './idmap.js';
import { COMPARED_HEADERS, CURSOR_PARAMS, formOf, isLink, mediaType, sameForm, stringRule, VARYING_NUMBER_KEYS } from './normalise.js';
import type { RecordedResponse } from './transcript.js';

/** One difference: where (status, a header, a JSON path) and what. */
export interface Found {
  where: string;
  what: string;
}

type Path = (string | number)[];
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 160 ? `${v.slice(0, 157)}...` : v) : JSON.stringify(v));
const jsonPath = (path: Path) =>
  `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][\w-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('')}`;
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export class Differ {
  readonly found: Found[] = [];
  constructor(readonly map: IdMap) {}

  private add(where: string, what: string) {
    this.found.push({ where, what });
  }

  response(up: RecordedResponse, mock: RecordedResponse): Found[] {
    if (up.status !== mock.status) this.add('status', `upstream ${up.status}, mock ${mock.status}`);
    for (const [name, rule] of Object.entries(COMPARED_HEADERS)) {
      const a = up.headers[name];
      const b = mock.headers[name];
      const where = `header ${name}`;
      if (a === undefined && b === undefined) continue;
      if (a === undefined || b === undefined) {
        this.add(where, a === undefined ? `absent upstream, present in the mock (${show(b)})` : `present upstream (${show(a)}), absent in the mock`);
        continue;
      }
      if (rule === 'media-type' && mediaType(a) !== mediaType(b)) this.add(where, `upstream ${show(mediaType(a))}, mock ${show(mediaType(b))}`);
      else if (rule === 'exact' && a !== b) this.add(where, `upstream ${show(a)}, mock ${show(b)}`);
      else if (rule === 'url') this.url(where, a, b);
      else if ((rule === 'uuid' || rule === 'date-time' || rule === 'date') && formOf(a) !== formOf(b)) {
        this.add(where, `form: upstream ${formOf(a)}, mock ${formOf(b)}`);
      }
    }
    if (up.body.kind !== mock.body.kind) this.add('body', `upstream ${up.body.kind}, mock ${mock.body.kind}`);
    else if (up.body.kind === 'json' && mock.body.kind === 'json') this.value([], up.body.value, mock.body.value);
    return this.found;
  }

  /** Two links or locations: absolute or not, the path (ids mapped), the query by parameter. */
  url(where: string, a: string, b: string): void {
    const abs = (s: string) => /^https?:\/\//.test(s);
    if (abs(a) !== abs(b))
      this.add(where, `form: upstream ${abs(a) ? 'absolute URL' : 'relative'} ${show(a)}, mock ${abs(b) ? 'absolute URL' : 'relative'} ${show(b)}`);
    const ua = parseLink(a);
    const ub = parseLink(b);
    if (!ua || !ub) return;
    const sa = ua.pathname.split('/');
    const sb = ub.pathname.split('/');
    const samePath = sa.length === sb.length && sa.every((s, i) => this.sameToken(s, sb[i]));
    if (!samePath) this.add(where, `path: upstream ${show(ua.pathname)}, mock ${show(ub.pathname)}`);
    const ka = [...ua.searchParams.keys()];
    const kb = [...ub.searchParams.keys()];
    if (ka.join('&') !== kb.join('&')) this.add(where, `query parameters: upstream [${ka.join(', ')}], mock [${kb.join(', ')}]`);
    for (const k of ka) {
      const x = ua.searchParams.get(k)!;
      const y = ub.searchParams.get(k);
      if (y === null) continue;
      if (CURSOR_PARAMS.has(k)) {
        if (this.map.has(x) ? this.map.get(x) !== y : false) this.add(where, `${k}: not the mock's cursor for the same position`);
        this.map.learn(x, y);
      } else if (!this.sameToken(x, y)) this.add(where, `${k}: upstream ${show(x)}, mock ${show(y)}`);
    }
  }

  /** A path segment or parameter: mapped value, else form for ids, else equal. */
  private sameToken(a: string, b: string): boolean {
    if (this.map.has(a)) return this.map.get(a) === b;
    if (stringRule('', a) === 'form') {
      if (!sameForm(a, b)) return false;
      this.map.learn(a, b);
      return true;
    }
    return a === b;
  }

  value(path: Path, a: unknown, b: unknown): void {
    const where = jsonPath(path);
    const ta = typeOf(a);
    const tb = typeOf(b);
    if (ta !== tb) {
      this.add(where, `type: upstream ${ta}, mock ${tb}`);
      return;
    }
    const key = String(path.filter((p) => typeof p === 'string').at(-1) ?? '');
    if (typeof a === 'string') {
      this.string(path, key, a, b as string);
      return;
    }
    if (typeof a === 'number') {
      if (!VARYING_NUMBER_KEYS.has(key) && a !== b) this.add(where, `value: upstream ${a}, mock ${show(b)}`);
      return;
    }
    if (Array.isArray(a)) {
      this.array(path, a, b as unknown[]);
      return;
    }
    if (a !== null && typeof a === 'object') {
      const ob = b as Record<string, unknown>;
      for (const k of Object.keys(a)) if (!(k in ob)) this.add(jsonPath([...path, k]), 'present upstream, absent in the mock');
      for (const k of Object.keys(ob)) if (!(k in a)) this.add(jsonPath([...path, k]), `absent upstream, present in the mock (${show(ob[k])})`);
      for (const [k, v] of Object.entries(a)) if (k in ob) this.value([...path, k], v, ob[k]);
      return;
    }
    if (a !== b) this.add(where, `value: upstream ${show(a)}, mock ${show(b)}`);
  }

  private string(path: Path, key: string, a: string, b: string) {
    const where = jsonPath(path);
    if (isLink(path, a)) return this.url(where, a, b);
    if (this.map.has(a)) {
      if (this.map.get(a) !== b) this.add(where, `value: not the mock's value for the same thing (upstream ${show(a)}, mock ${show(b)})`);
      return;
    }
    const rule = stringRule(key, a);
    if (rule === 'value' && a !== b) this.add(where, `value: upstream ${show(a)}, mock ${show(b)}`);
    if (rule === 'form') {
      if (!sameForm(a, b)) this.add(where, `form: upstream ${formOf(a)}, mock ${formOf(b)}`);
      else this.map.learn(a, b);
    }
  }

  /** Lists of resources are matched by id (mapped): an order of its own is one difference. */
  private array(path: Path, a: unknown[], b: unknown[]) {
    const ids = (xs: unknown[]) =>
      xs.map((x) => (x !== null && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string' ? (x as { id: string }).id : undefined));
    const ia = ids(a);
    const ib = ids(b);
    const byId = ia.length > 0 && ia.every((id) => id !== undefined && this.map.has(id)) && ib.every((id) => id !== undefined);
    if (!byId) {
      if (a.length !== b.length) this.add(jsonPath(path), `length: upstream ${a.length}, mock ${b.length}`);
      for (let i = 0; i < Math.min(a.length, b.length); i++) this.value([...path, i], a[i], b[i]);
      return;
    }
    const wanted = ia.map((id) => this.map.get(id!)!);
    const inBoth = wanted.filter((id) => ib.includes(id));
    const order = ib.filter((id) => inBoth.includes(id!));
    // items created in the same millisecond come in the mock's tie-break order (their random ids):
    // such a run counts as one place, so only an order the mock's own rule fixes can differ
    const created = new Map(b.map((x, j) => [ib[j], (x as { attributes?: { created_at?: unknown } } | null)?.attributes?.created_at]));
    const place = new Map<string | undefined, number>();
    order.forEach((id, k) => {
      const prev = order[k - 1];
      const tie = k > 0 && created.get(id) !== undefined && created.get(id) === created.get(prev);
      place.set(id, tie ? place.get(prev)! : k);
    });
    const first = inBoth.findIndex((id, k) => place.get(order[k]) !== place.get(id));
    if (first >= 0 && order[first] !== undefined)
      this.add(
        jsonPath(path),
        `order: the same ${inBoth.length} items in another order (item ${first} upstream is the mock's ${inBoth[first]}, in the mock ${order[first]})`,
      );
    a.forEach((item, i) => {
      const j = ib.indexOf(wanted[i]);
      if (j < 0) this.add(jsonPath([...path, i]), `item ${show(ia[i])} absent in the mock`);
      else this.value([...path, i], item, b[j]);
    });
    ib.forEach((id, j) => {
      if (!wanted.includes(id!)) this.add(jsonPath([...path, j]), `item ${show(id)} absent upstream, present in the mock`);
    });
  }
}
