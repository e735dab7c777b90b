// The JSON data file, what a person opens: read through lowdb's Adapter interface (streamed record by
// record, validated by the compiled store schema, migrated from an older schemaVersion), written
// whole by compaction through FileSystem.writeFileDurably. An unreadable file is reported with its
// name and the fix, never overwritten.
import { rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Adapter } from 'lowdb';
import { compiledCheck } from './compiled-checks.js';
import { SCHEMA_VERSION, StoreData } from '../schemas/store.js';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import { migrateDocument, READABLE_VERSIONS, readableVersion } from './migrate.js';
import { readDocument } from './read-document.js';
import { StringPool } from './state.js';

/** A data file or log that cannot be used as it is; the message names the file and the fix. */
export class CorruptStoreError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(
      `The data file ${path} cannot be used: ${reason}. It has not been modified. ` +
        `Fix or remove it, or start with SNYK_MOCK_ON_CORRUPT=reseed to move it aside and start from the seed.`,
    );
    this.name = 'CorruptStoreError';
  }
}

/** What the JSON file holds: the store data and the seq of the log that continues it. */
export type StoredDocument = StoreData & { logSeq?: number };

const checkDocument = compiledCheck('store_document', StoreData);

/** lowdb adapter over FileSystem; validates what it reads (compiled checks: fast on large stores). */
export class DurableJSONFile implements Adapter<StoredDocument> {
  /** size of the file as last read or written (characters) */
  bytes = 0;
  /** the schemaVersion of the file as last read, when it was older and has been migrated */
  migratedFrom: number | undefined;

  constructor(
    readonly path: string,
    private readonly fs: FileSystem = nodeFileSystem,
  ) {}

  async read(): Promise<StoredDocument | null> {
    let parsed: unknown;
    // record by record first (a large store never held as one string: see read-document.ts); a
    // file that is not read that way (invalid JSON included) is parsed whole, for JSON.parse's verdict
    const pool = new StringPool();
    let streamed;
    try {
      const chunks = await this.fs.readChunks(this.path);
      if (!chunks) return null;
      streamed = await readDocument(chunks, (member, record) => pool.share(member, record));
    } catch (err) {
      throw unreadable(this.path, err);
    }
    if (streamed) {
      parsed = streamed.value;
      this.bytes = streamed.chars;
    } else {
      let text: string | undefined;
      try {
        text = await this.fs.readFile(this.path);
      } catch (err) {
        throw unreadable(this.path, err);
      }
      if (text === undefined) return null;
      this.bytes = text.length;
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        throw new CorruptStoreError(this.path, text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(err as Error).message}), perhaps truncated`);
      }
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CorruptStoreError(this.path, 'it is not a JSON object');
    const version = (parsed as { schemaVersion?: unknown }).schemaVersion;
    if (!readableVersion(version)) {
      throw new CorruptStoreError(this.path, `its schemaVersion is ${JSON.stringify(version)}, and this snyk-mock reads schemaVersion ${READABLE_VERSIONS}`);
    }
    this.migratedFrom = undefined;
    if (version !== SCHEMA_VERSION) {
      parsed = migrateDocument(parsed as Record<string, unknown>);
      this.migratedFrom = version;
    }
    const logSeq = (parsed as { logSeq?: unknown }).logSeq;
    if (logSeq !== undefined && !(Number.isSafeInteger(logSeq) && (logSeq as number) >= 0)) {
      throw new CorruptStoreError(this.path, `its logSeq ${JSON.stringify(logSeq)} is not a non-negative integer`);
    }
    if (!checkDocument.Check(parsed)) {
      const first = checkDocument.Errors(parsed).First();
      throw new CorruptStoreError(this.path, `it does not match the store schema at ${first?.path || '/'} (${first?.message})`);
    }
    return parsed as StoredDocument;
  }

  /** The file's text for `doc`: synchronous, so a caller can take a consistent snapshot. */
  serialize(doc: StoredDocument): string {
    return JSON.stringify(doc);
  }

  /** Writes text from serialize() durably. */
  async writeText(text: string): Promise<void> {
    await this.fs.writeFileDurably(this.path, text);
    this.bytes = text.length;
  }

  /** lowdb's Adapter API; compaction uses the two steps above itself. */
  async write(doc: StoredDocument): Promise<void> {
    await this.writeText(this.serialize(doc));
  }
}

/** A data file or log that cannot be read at all: the message names the file (and the fix for a directory). */
export function unreadable(path: string, err: unknown, what = 'data file'): Error {
  const e = err as NodeJS.ErrnoException;
  const hint =
    e.code === 'EISDIR'
      ? ` It is a directory: --db (SNYK_MOCK_DB) names the data file itself, e.g. ${join(what === 'data file' ? path : dirname(path), 'db.json')}.`
      : '';
  return new Error(`Cannot read the ${what} ${path}: ${e.message}.${hint}`, { cause: err });
}

/** Moves an unusable file aside (`<file>.corrupt-<timestamp>`), for SNYK_MOCK_ON_CORRUPT=reseed. */
export async function moveAside(path: string, now: Date): Promise<string> {
  const target = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await stat(path);
  await rename(path, target);
  return target;
}
