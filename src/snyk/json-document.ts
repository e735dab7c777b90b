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

/**
 * A document whose `data` is already JSON text; the other top-level members (`links`, `meta`: names
 * that need no escaping) are serialised here.
 */
export function documentJson(data: string, members: { links?: unknown; meta?: unknown }): string {
  let out = JSONAPI_MEMBER + data;
  // for…in over a literal: no entries array per request
  for (const k in members) {
    const v = members[k as keyof typeof members];
    if (v !== undefined) out += ',"' + k + '":' + JSON.stringify(v);
  }
  return out + '}';
}

/**
 * Whole list documents as bytes, kept until the data they were rendered from changes (`revision`,
 * e.g. State.saRevision) and at most `max` of them. A page joins up to 100 rendered resources into
 * ~35 KB of text, and sending text makes Fastify measure its UTF-8 length and Node encode it once
 * more: under wrk that was most of a list request's time, while tests and tools poll the same
 * pages between changes. The key must name everything the document depends on.
 */
export class PageCache {
  private revision = NaN;
  private readonly pages = new Map<string, Buffer>();
  constructor(private readonly max = 64) {}

  get(revision: number, key: string, render: () => string): Buffer {
    if (revision !== this.revision) {
      this.pages.clear();
      this.revision = revision;
    }
    let page = this.pages.get(key);
    if (page === undefined) {
      page = Buffer.from(render());
      // the oldest page goes first (a Map keeps insertion order)
      if (this.pages.size >= this.max) this.pages.delete(this.pages.keys().next().value!);
      this.pages.set(key, page);
    }
    return page;
  }
}
