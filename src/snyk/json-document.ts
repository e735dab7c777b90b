// JSON:API documents written as bytes from resources rendered once per record
// (docs/decisions/0005-document-caches.md). Tests validate these bodies against the official spec.

/** The JSON bytes of each record's resource, rendered on first use and kept while the record lives. */
export class RenderedResources<R extends object> {
  private readonly cache = new WeakMap<R, Buffer>();
  constructor(private readonly render: (record: R) => unknown) {}

  bytes(record: R): Buffer {
    let bytes = this.cache.get(record);
    if (bytes === undefined) {
      const text = JSON.stringify(this.render(record));
      // memory of its own: a slice of Node's shared pool would keep its whole 8 KiB slab alive
      bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
      bytes.write(text);
      this.cache.set(record, bytes);
    }
    return bytes;
  }
}

/**
 * Whole single-resource documents as bytes, kept per record object for the last `key` they were
 * asked with (what else the document depends on: the version in its self link, which a client
 * keeps from one request to the next). A GET of an unchanged record then copies nothing.
 */
export class KeptDocuments<R extends object> {
  private readonly cache = new WeakMap<R, { key: string; bytes: Buffer }>();

  get(record: R, key: string, render: () => Buffer): Buffer {
    const kept = this.cache.get(record);
    if (kept !== undefined && kept.key === key) return kept.bytes;
    const bytes = render();
    this.cache.set(record, { key, bytes });
    return bytes;
  }
}

/** The JSON:API version every document names (its `jsonapi` member). */
export const JSONAPI = { version: '1.0' } as const;
const JSONAPI_MEMBER = Buffer.from(`{"jsonapi":${JSON.stringify(JSONAPI)},"data":`);
const [OPEN, COMMA, CLOSE] = [0x5b, 0x2c, 0x5d];

/**
 * A document whose `data` is one rendered resource, or an array of them (`data: [...]`); the other
 * top-level members (`links`, `meta`: names that need no escaping) are serialised here.
 */
export function documentBytes(data: Buffer | readonly Buffer[], members: { links?: unknown; meta?: unknown }): Buffer {
  let tail = '';
  // for…in over a literal: no entries array per request
  for (const k in members) {
    const v = members[k as keyof typeof members];
    if (v !== undefined) tail += ',"' + k + '":' + JSON.stringify(v);
  }
  tail += '}';
  const items = Buffer.isBuffer(data) ? undefined : data;
  let size = JSONAPI_MEMBER.length + Buffer.byteLength(tail);
  if (items) {
    size += 2 + Math.max(0, items.length - 1);
    for (const item of items) size += item.length;
  } else size += (data as Buffer).length;
  // memory of its own: documents are kept (KeptDocuments, PageCache), and a slice of Node's shared
  // pool would keep its whole 8 KiB slab alive
  const out = Buffer.allocUnsafeSlow(size);
  let at = JSONAPI_MEMBER.copy(out, 0);
  if (items) {
    out[at++] = OPEN;
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out[at++] = COMMA;
      out.set(items[i], at);
      at += items[i].length;
    }
    out[at++] = CLOSE;
  } else {
    out.set(data as Buffer, at);
    at += (data as Buffer).length;
  }
  out.write(tail, at);
  return out;
}

/**
 * Whole list documents as bytes, kept until the data they were rendered from changes (`revision`,
 * e.g. State.saRevision) and at most `max` of them: tests and tools poll the same pages between
 * changes, and a page copies up to 100 rendered resources (~35 KB). The key must name everything
 * the document depends on.
 */
export class PageCache {
  private revision = NaN;
  private readonly pages = new Map<string, Buffer>();
  constructor(private readonly max = 64) {}

  get(revision: number, key: string, render: () => Buffer): Buffer {
    if (revision !== this.revision) {
      this.pages.clear();
      this.revision = revision;
    }
    let page = this.pages.get(key);
    if (page === undefined) {
      page = render();
      // the oldest page goes first (a Map keeps insertion order)
      if (this.pages.size >= this.max) this.pages.delete(this.pages.keys().next().value!);
      this.pages.set(key, page);
    }
    return page;
  }
}
