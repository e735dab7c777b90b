// JSON:API documents written as text from pre-rendered resources. fast-json-stringify rendered every
// resource of a 100-item page on every request, ~60% of a list request's time (CPU profile under wrk);
// a record is replaced, never mutated, when it changes, so its JSON text can be kept per record object
// and a page becomes a join of kept strings. Tests validate these bodies against the official spec.

/** The JSON text of each record's resource, rendered on first use and kept while the record lives. */
export class RenderedResources<R extends object> {
  private readonly cache = new WeakMap<R, string>();
  constructor(private readonly render: (record: R) => unknown) {}

  json(record: R): string {
    let text = this.cache.get(record);
    if (text === undefined) {
      text = JSON.stringify(this.render(record));
      this.cache.set(record, text);
    }
    return text;
  }
}

const JSONAPI_MEMBER = '{"jsonapi":{"version":"1.0"},"data":';

/** A document whose `data` is already JSON text; the other top-level members are serialised here. */
export function documentJson(data: string, members: Record<string, unknown>): string {
  let out = JSONAPI_MEMBER + data;
  for (const [k, v] of Object.entries(members)) if (v !== undefined) out += `,${JSON.stringify(k)}:${JSON.stringify(v)}`;
  return out + '}';
}
