// The file store: the JSON data file (what a person opens) plus an append-only change log beside it
// (`<db>.log`, see change-log.ts). A write is acknowledged once its log record is fdatasync'd; the
// JSON file is rewritten only by compaction (when the log outgrows a threshold, on shutdown, on a
// reset or seed). lowdb reads the data file through an adapter of our own (validating it); the
// rewrite is ours too, in two explicit steps: the snapshot is serialised synchronously, then written
// durably (lowdb's JSONFile never fsyncs: this writes a temp file, fsyncs it, renames it over the
// data file and fsyncs the directory). An unreadable data file or log is reported, never overwritten.
import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { compiledCheck } from './compiled-checks.js';
import { SCHEMA_VERSION, StoreData } from '../schemas/store.js';
import { encodeTransactions, headerLine, LogFormatError, parseLog } from './change-log.js';
import { migrateDocument, migrateTransaction, READABLE_VERSIONS, readableVersion } from './migrate.js';
import { readDocument } from './read-document.js';
import { StringPool, type Change } from './state.js';
import type { DurableView, Loaded, Persistence } from './store.js';

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

/** A file opened for appending (the change log). */
export interface AppendFile {
  /** Appends all of `data` and fdatasyncs: resolves once it is on disk. */
  append(data: Buffer): Promise<void>;
  /** Cuts the file to `length` bytes and fdatasyncs. */
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls the store makes, so tests can inject failures (tests run as root). */
export interface FileSystem {
  readFile(path: string): Promise<string | undefined>;
  /** The file in chunks (its errors thrown while they are read); undefined if it does not exist. */
  readChunks(path: string): Promise<AsyncIterable<Buffer> | undefined>;
  readBytes(path: string): Promise<Buffer | undefined>;
  /** temp file, fsync, rename over `path`, fsync the directory */
  writeFileDurably(path: string, text: string): Promise<void>;
  /** Opens `path` for appending, creating it (and fsyncing its directory) if it does not exist. */
  openAppend(path: string): Promise<AppendFile>;
  /** Removes `path` if it exists. */
  remove(path: string): Promise<void>;
}

const READ_CHUNK_BYTES = 1024 * 1024;

const ifExists = async <T>(p: Promise<T>): Promise<T | undefined> => {
  try {
    return await p;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
};

async function syncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

class NodeAppendFile implements AppendFile {
  constructor(private readonly fh: FileHandle) {}
  async append(data: Buffer) {
    // O_APPEND: each write lands at the end, also after a truncate
    for (let off = 0; off < data.length; ) off += (await this.fh.write(data, off, data.length - off)).bytesWritten;
    await this.fh.datasync();
  }
  async truncate(length: number) {
    await this.fh.truncate(length);
    await this.fh.datasync();
  }
  async close() {
    await this.fh.close();
  }
}

export const nodeFileSystem: FileSystem = {
  async readFile(path) {
    return ifExists(readFile(path, 'utf8'));
  },
  async readBytes(path) {
    return ifExists(readFile(path));
  },
  async readChunks(path) {
    const fh = await ifExists(open(path, 'r'));
    if (!fh) return undefined;
    return (async function* () {
      try {
        for (;;) {
          // a fresh buffer each time: a record cut by the chunk's end keeps a view of it
          const buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
          const { bytesRead } = await fh.read(buf, 0, READ_CHUNK_BYTES, null);
          if (bytesRead === 0) return;
          yield buf.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    })();
  },
  async writeFileDurably(path, text) {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    await syncDir(dir);
  },
  async openAppend(path) {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const existed = (await ifExists(stat(path))) !== undefined;
    const fh = await open(path, 'a');
    if (!existed) await syncDir(dir);
    return new NodeAppendFile(fh);
  },
  async remove(path) {
    await ifExists(unlink(path));
  },
};

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
function unreadable(path: string, err: unknown, what = 'data file'): Error {
  const e = err as NodeJS.ErrnoException;
  const hint = e.code === 'EISDIR' ? ` It is a directory: --db (SNYK_MOCK_DB) names the data file itself, e.g. ${join(what === 'data file' ? path : dirname(path), 'db.json')}.` : '';
  return new Error(`Cannot read the ${what} ${path}: ${e.message}.${hint}`, { cause: err });
}

/** Moves an unusable file aside (`<file>.corrupt-<timestamp>`), for SNYK_MOCK_ON_CORRUPT=reseed. */
export async function moveAside(path: string, now: Date): Promise<string> {
  const target = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await stat(path);
  await rename(path, target);
  return target;
}

export interface FilePersistenceOptions {
  fs?: FileSystem;
  /** warnings (a torn log tail discarded, a failed compaction) */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
  /**
   * Compact the log into the JSON file once it is this large; default: the larger of 16 MiB and the
   * JSON file's size, so compaction costs at most as much again as the appends (flat write cost).
   */
  compactBytes?: number;
}

const MIN_COMPACT_BYTES = 16 * 1024 * 1024;

/**
 * Appends each group commit to the log (one fdatasync); compacts the log into the JSON file when it
 * outgrows the threshold and on close. The Store never runs two of these operations at once.
 */
export class FilePersistence implements Persistence {
  readonly kind = 'file' as const;
  readonly logPath: string;
  private readonly file: DurableJSONFile;
  private readonly db: Low<StoredDocument | null>;
  private readonly fs: FileSystem;
  private readonly warn: NonNullable<FilePersistenceOptions['warn']>;
  /** seq of the log that continues the JSON file as it is on disk */
  private seq = 0;
  private log: AppendFile | undefined;
  /** bytes of the log known to be good: the header and acknowledged transactions of log `seq` */
  private logBytes = 0;
  /** the log on disk may hold more than those `logBytes` (or another seq's): cut it before appending */
  private logDirty = false;

  constructor(
    readonly path: string,
    private readonly opts: FilePersistenceOptions = {},
  ) {
    this.fs = opts.fs ?? nodeFileSystem;
    this.warn = opts.warn ?? (() => {});
    this.logPath = `${path}.log`;
    this.file = new DurableJSONFile(path, this.fs);
    this.db = new Low<StoredDocument | null>(this.file as Adapter<StoredDocument | null>, null);
  }

  /** The files this store keeps (what SNYK_MOCK_ON_CORRUPT=reseed moves aside). */
  files(): string[] {
    return [this.path, this.logPath];
  }

  async load(): Promise<Loaded | undefined> {
    await this.db.read();
    const doc = this.db.data;
    this.db.data = null;
    const bytes = await this.fs.readBytes(this.logPath).catch((err: unknown) => {
      throw unreadable(this.logPath, err, 'change log');
    });
    // slugs given to orgs of an older log stay unique against the (migrated) data file's
    const migration = { slugs: new Set(doc?.orgs.map((o) => o.slug)) };
    let parsed;
    try {
      parsed = bytes ? parseLog(bytes, { upgrade: (t, from) => migrateTransaction(t, from, migration) }) : undefined;
    } catch (err) {
      if (err instanceof LogFormatError) throw new CorruptStoreError(this.logPath, err.message);
      throw err;
    }
    const header = parsed?.kind === 'log' ? parsed.header : undefined;
    this.logBytes = 0;
    this.logDirty = bytes !== undefined;
    if (!doc) {
      // first start (or the data file was removed): a log left behind belongs to no data file
      if (bytes) this.warn({ file: this.logPath }, 'change log without a data file: ignored, it will be replaced');
      this.seq = (header?.seq ?? 0) + 1;
      return undefined;
    }
    const { logSeq: docSeq = 0, ...data } = doc;
    this.seq = docSeq;
    if (header && header.seq > docSeq) {
      throw new CorruptStoreError(
        this.logPath,
        `it continues a newer data file (log seq ${header.seq}) than ${this.path} (logSeq ${docSeq}); was the data file replaced by an older copy?`,
      );
    }
    if (parsed?.kind === 'log' && parsed.header.seq === docSeq) {
      if (parsed.tornAt !== undefined) {
        this.warn(
          { file: this.logPath, discardedBytes: bytes!.length - parsed.validBytes },
          'the change log ends in an incomplete record (a write interrupted by a crash, never acknowledged): discarded',
        );
      }
      this.logBytes = parsed.validBytes;
      this.logDirty = parsed.tornAt !== undefined;
      const migratedFrom = parsed.header.schemaVersion !== SCHEMA_VERSION ? parsed.header.schemaVersion : this.file.migratedFrom;
      return { data, replay: parsed.transactions, ...(migratedFrom !== undefined ? { migratedFrom } : {}) };
    }
    // an empty log or a torn header only, or the log of a data file since compacted or replaced
    if (header) this.warn({ file: this.logPath, logSeq: header.seq, dataLogSeq: docSeq }, 'stale change log (the data file already holds it): replaced');
    else if (parsed?.tornAt !== undefined) this.warn({ file: this.logPath }, 'the change log holds only an incomplete header: discarded');
    return { data, replay: [], ...(this.file.migratedFrom !== undefined ? { migratedFrom: this.file.migratedFrom } : {}) };
  }

  /** Opens the log, making it hold exactly the `logBytes` good bytes of log `seq` (header first). */
  private async ready(): Promise<AppendFile> {
    this.log ??= await this.fs.openAppend(this.logPath);
    if (this.logDirty) {
      await this.log.truncate(this.logBytes);
      this.logDirty = false;
    }
    if (this.logBytes === 0) {
      const header = headerLine(this.seq);
      this.logDirty = true;
      await this.log.append(header);
      this.logBytes = header.length;
      this.logDirty = false;
    }
    return this.log;
  }

  async flush(_data: StoreData, transactions: Change[][]): Promise<void> {
    const buf = encodeTransactions(transactions);
    if (buf.length === 0) return;
    const log = await this.ready();
    this.logDirty = true;
    try {
      await log.append(buf);
    } catch (err) {
      // these writes are rolled back: cut them off the log so that a restart cannot replay them
      // (if that fails too, the next flush cuts them first, or fails)
      await log.truncate(this.logBytes).then(
        () => (this.logDirty = false),
        () => {},
      );
      throw err;
    }
    this.logBytes += buf.length;
    this.logDirty = false;
  }

  /** Between flushes: compacts the log into the JSON file once it has outgrown the threshold. */
  async maintain(durable: DurableView): Promise<void> {
    const threshold = this.opts.compactBytes ?? Math.max(MIN_COMPACT_BYTES, this.file.bytes);
    if (this.logBytes <= threshold) return;
    try {
      await this.compact(durable);
    } catch (err) {
      // the log still holds everything acknowledged; the next flush repairs it if needed
      this.warn({ err, file: this.path }, 'compacting the change log into the data file failed; will retry');
    }
  }

  /**
   * Writes the whole (durable) state to the JSON file, naming the next log seq, then starts that log
   * empty. A crash in between leaves a stale log, which the next start recognises by its seq.
   */
  private async compact(durable: DurableView, startLog = true): Promise<void> {
    const next = this.seq + 1;
    // The snapshot is taken and serialised synchronously, inside the durable view: writes not yet
    // durable are left out of it, and writes applied from here on cannot slip into it (they go to
    // the next log). Only then is it written, which may take a while.
    const text = durable((data) => {
      const { schemaVersion, ...collections } = data;
      return this.file.serialize({ schemaVersion, logSeq: next, ...collections });
    });
    await this.file.writeText(text);
    this.seq = next;
    this.logBytes = 0;
    this.logDirty = true;
    if (startLog) await this.ready();
  }

  async replace(data: StoreData): Promise<void> {
    await this.compact((fn) => fn(data));
  }

  async close(data: StoreData): Promise<void> {
    // compact if the log holds any transaction; after a clean shutdown the JSON file is the whole state
    if (this.logBytes > headerLine(this.seq).length) await this.compact((fn) => fn(data), false);
    await this.log?.close();
    this.log = undefined;
    await this.fs.remove(this.logPath);
    this.logBytes = 0;
    this.logDirty = false;
  }
}
