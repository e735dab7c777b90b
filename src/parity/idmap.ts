// The map from what the upstream issued (account ids, client ids, api keys, secrets as their
// placeholders, tokens, cursors) to what the mock issued at the same step, and its use: the
// substitution of those values in the requests replayed after them.
import type { RecordedBody, RecordedRequest } from './transcript.js';

export class IdMap {
  private readonly map = new Map<string, string>();

  /** Records that the upstream's `upstream` is the mock's `mock` (the first pairing wins). */
  learn(upstream: string, mock: string): void {
    if (upstream === '' || this.map.has(upstream)) return;
    this.map.set(upstream, mock);
  }

  has(upstream: string): boolean {
    return this.map.has(upstream);
  }

  get(upstream: string): string | undefined {
    return this.map.get(upstream);
  }

  /** The mock's value for `value`, or `value` itself. */
  sub(value: string): string {
    return this.map.get(value) ?? value;
  }

  /** The request to replay: mapped values substituted in the path, query, credential and body. */
  request(req: RecordedRequest): RecordedRequest {
    const headers = { ...req.headers };
    if (headers.authorization !== undefined) {
      const m = /^(\S+)\s+(.+)$/.exec(headers.authorization);
      headers.authorization = m ? `${m[1]} ${this.sub(m[2])}` : this.sub(headers.authorization);
    }
    return {
      ...req,
      path: req.path
        .split('/')
        .map((seg) => this.sub(decodeURIComponent(seg)))
        .map((seg) => encodeURIComponent(seg))
        .join('/'),
      query: req.query.map(([k, v]) => [k, this.sub(v)]),
      headers,
      body: this.body(req.body),
    };
  }

  private body(body: RecordedBody): RecordedBody {
    if (body.kind === 'json') return { kind: 'json', value: this.json(body.value) };
    if (body.kind === 'form') return { kind: 'form', value: body.value.map(([k, v]) => [k, this.sub(v)]) };
    return body;
  }

  private json(value: unknown): unknown {
    if (typeof value === 'string') return this.sub(value);
    if (Array.isArray(value)) return value.map((v) => this.json(v));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.json(v)]));
    return value;
  }
}

/** A link (absolute, or a path with its query) as a URL; null when it is neither. */
export function parseLink(link: string): URL | null {
  try {
    return new URL(link, 'http://relative.invalid');
  } catch {
    return null;
  }
}
