// Redaction for the transcript: every secret becomes `<secret:N>`, the same secret the same N
// across the whole recording, so a later use of an issued key is still recognisable (and the
// replay can map it). Ids are kept. After the structured pass, every secret already seen is
// also replaced wherever it appears in text (an error detail that echoes a token).
import { formOf, looksSecret, RECORDED_REQUEST_HEADERS, SECRET_KEYS, SECRET_PARAMS, UNRECORDED_RESPONSE_HEADERS } from './normalise.js';
import type { RecordedBody } from './transcript.js';

export class Redactor {
  private readonly bySecret = new Map<string, string>();
  /** the form of each placeholder's secret */
  readonly forms: Record<string, string> = {};

  /** The placeholder of a secret (a new one the first time). */
  placeholder(secret: string): string {
    let p = this.bySecret.get(secret);
    if (p === undefined) {
      p = `<secret:${this.bySecret.size + 1}>`;
      this.bySecret.set(secret, p);
      this.forms[p] = formOf(secret);
    }
    return p;
  }

  /** The secrets seen so far (for a positive-control scan in tests, never written anywhere). */
  secrets(): string[] {
    return [...this.bySecret.keys()];
  }

  /** `token abc` → `token <secret:1>`; a header without a scheme is a secret whole. */
  authorization(value: string): string {
    const m = /^(\S+)\s+(.+)$/.exec(value.trim());
    return m ? `${m[1]} ${this.placeholder(m[2])}` : this.placeholder(value);
  }

  /** The headers of a request that are recorded, the credential redacted. */
  requestHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of RECORDED_REQUEST_HEADERS) {
      const v = headers[name];
      if (v === undefined) continue;
      const value = Array.isArray(v) ? v.join(', ') : v;
      out[name] = name === 'authorization' ? this.authorization(value) : value;
    }
    return out;
  }

  responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, v] of Object.entries(headers)) {
      if (v === undefined || UNRECORDED_RESPONSE_HEADERS.has(name.toLowerCase())) continue;
      out[name.toLowerCase()] = this.text(Array.isArray(v) ? v.join(', ') : v);
    }
    return out;
  }

  /** Query or form pairs: secret parameters redacted. */
  pairs(pairs: [string, string][]): [string, string][] {
    return pairs.map(([k, v]) => [k, SECRET_PARAMS.has(k) || looksSecret(v) ? this.placeholder(v) : v]);
  }

  /** A JSON value: secret keys and secret-looking strings redacted, everything else kept. */
  json(value: unknown, key = ''): unknown {
    if (typeof value === 'string') return (SECRET_KEYS.has(key) && value !== '') || looksSecret(value) ? this.placeholder(value) : value;
    if (Array.isArray(value)) return value.map((v) => this.json(v, key));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.json(v, k)]));
    }
    return value;
  }

  body(body: RecordedBody): RecordedBody {
    switch (body.kind) {
      case 'json':
        return { kind: 'json', value: this.json(body.value) };
      case 'form':
        return { kind: 'form', value: this.pairs(body.value) };
      case 'text':
        return { kind: 'text', value: this.text(body.value) };
      default:
        return body;
    }
  }

  /** Every known secret replaced wherever it occurs in `text` (the longest first). */
  text(text: string): string {
    let out = text;
    const known = [...this.bySecret.keys()].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
    for (const s of known) if (out.includes(s)) out = out.split(s).join(this.bySecret.get(s)!);
    return out;
  }

  /** A whole structure, string leaves passed through `text` (the last pass before writing). */
  scrub<T>(value: T): T {
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.scrub(v)) as T;
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.scrub(v)])) as T;
    }
    return value;
  }
}
