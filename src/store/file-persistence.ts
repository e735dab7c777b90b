// The file store: the JSON data file (what a person opens, data-file.ts) plus an append-only change
// log beside it (`<db>.log`, log-file.ts). A write is acknowledged once its log record is
// fdatasync'd; the JSON file is rewritten only by compaction (when the log outgrows a threshold, on
// shutdown, on a reset or seed): the snapshot is serialised synchronously, then written durably
// (temp file, fsync, rename, fsync the directory). lowdb reads the data file through our adapter.
// Opened by a start, it holds back every write until the start has succeeded (`hold`): a start
// that fails leaves no file behind. With a lock (lock.ts), a holder that lost it writes nothing more.
import { Low, type Adapter } from 'lowdb';
import { SCHEMA_VERSION, type StoreData } from '../schemas/store.js';
import { encodeTransactions, LogFormatError, parseLog } from './change-log.js';
import { CorruptStoreError, DurableJSONFile, unreadable, type StoredDocument } from './data-file.js';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import type { DataFileLock } from './lock.js';
import { LogFile } from './log-file.js';
import { migrateTransaction } from './migrate.js';
import type { Change } from './state.js';
import type { DurableView, Loaded, Persistence } from './store.js';

export interface FilePersistenceOptions {
  fs?: FileSystem;
  /** warnings (a torn log tail discarded, a failed compaction) */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
  /**
   * Compact the log into the JSON file once it is this large; default: the larger of 16 MiB and the
   * JSON file's size, so compaction costs at most as much again as the appends (flat write cost).
   */
  compactBytes?: number;
  /** the data file's lock, released on close; once it is lost nothing more is written */
  lock?: DataFileLock;
  /** write nothing until started() (or the first write): a start that fails leaves no file */
  hold?: boolean;
}

const MIN_COMPACT_BYTES = 16 * 1024 * 1024;

/**
 * Appends each group commit to the log (one fdatasync); compacts the log into the JSON file when it
 * outgrows the threshold and on close. The Store never runs two of these operations at once.
 */
export class FilePersistence implements Persistence {
  readonly kind = 'file' as const;
  readonly logPath: string;
  readonly lock: DataFileLock | undefined;
  private readonly file: DurableJSONFile;
  private readonly db: Low<StoredDocument | null>;
  private readonly fs: FileSystem;
  private readonly warn: NonNullable<FilePersistenceOptions['warn']>;
  private readonly log: LogFile;
  /** nothing is written yet: the start has not succeeded */
  private held: boolean;
  /** the state in memory is not what the files hold (a fresh seed, a migration, the demo token) */
  private unsaved = false;
  /** set by abandon(): as after a crash, nothing more is written */
  private abandoned: Error | undefined;

  constructor(
    readonly path: string,
    private readonly opts: FilePersistenceOptions = {},
  ) {
    this.fs = opts.fs ?? nodeFileSystem;
    this.warn = opts.warn ?? (() => {});
    this.lock = opts.lock;
    this.held = opts.hold ?? false;
    this.logPath = `${path}.log`;
    this.log = new LogFile(this.logPath, this.fs);
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
    if (!doc) {
      // first start (or the data file was removed): a log left behind belongs to no data file
      if (bytes) this.warn({ file: this.logPath }, 'change log without a data file: ignored, it will be replaced');
      this.log.found((header?.seq ?? 0) + 1, 0, bytes !== undefined);
      return undefined;
    }
    const { logSeq: docSeq = 0, ...data } = doc;
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
      this.log.found(docSeq, parsed.validBytes, parsed.tornAt !== undefined);
      const migratedFrom = parsed.header.schemaVersion !== SCHEMA_VERSION ? parsed.header.schemaVersion : this.file.migratedFrom;
      return { data, replay: parsed.transactions, ...(migratedFrom !== undefined ? { migratedFrom } : {}) };
    }
    this.log.found(docSeq, 0, bytes !== undefined);
    // an empty log or a torn header only, or the log of a data file since compacted or replaced
    if (header) this.warn({ file: this.logPath, logSeq: header.seq, dataLogSeq: docSeq }, 'stale change log (the data file already holds it): replaced');
    else if (parsed?.tornAt !== undefined) this.warn({ file: this.logPath }, 'the change log holds only an incomplete header: discarded');
    return { data, replay: [], ...(this.file.migratedFrom !== undefined ? { migratedFrom: this.file.migratedFrom } : {}) };
  }

  /** The state in memory differs from the files (seed, migration, demo token): written whole once writing starts. */
  markUnsaved(): void {
    this.unsaved = true;
  }

  /** Writing is refused once the lock is lost (or the store abandoned). */
  private check(): void {
    const gone = this.lock?.lost ?? this.abandoned;
    if (gone) throw gone;
  }

  /** Ends the hold: the files are this process's from now on. */
  private unhold(): void {
    this.held = false;
    this.lock?.keep();
  }

  /** The start succeeded: writes what it held back (the seed, a migration, the demo token), at once. */
  async started(durable: DurableView): Promise<void> {
    if (!this.held) return;
    this.check();
    this.unhold();
    if (this.unsaved) await this.compact(durable);
    this.unsaved = false;
  }

  async flush(data: StoreData, transactions: Change[][]): Promise<void> {
    this.check();
    const buf = encodeTransactions(transactions);
    if (buf.length === 0) return;
    this.unhold();
    if (this.unsaved) {
      // the first write of a store that holds what the files do not: the whole state, these
      // transactions included (serialised before anything else can change it)
      await this.compact((fn) => fn(data));
      this.unsaved = false;
      return;
    }
    await this.log.append(buf);
  }

  /** Between flushes: compacts the log into the JSON file once it has outgrown the threshold. */
  async maintain(durable: DurableView): Promise<void> {
    const threshold = this.opts.compactBytes ?? Math.max(MIN_COMPACT_BYTES, this.file.bytes);
    if (this.log.bytes <= threshold || this.lock?.lost || this.abandoned) return;
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
    const next = this.log.seq + 1;
    // The snapshot is taken and serialised synchronously, inside the durable view: writes not yet
    // durable are left out of it, and writes applied from here on cannot slip into it (they go to
    // the next log). Only then is it written, which may take a while.
    const text = durable((data) => {
      const { schemaVersion, ...collections } = data;
      return this.file.serialize({ schemaVersion, logSeq: next, ...collections });
    });
    await this.file.writeText(text);
    this.log.restart(next);
    if (startLog) await this.log.ready();
  }

  async replace(data: StoreData): Promise<void> {
    this.check();
    this.unhold();
    await this.compact((fn) => fn(data));
    this.unsaved = false;
  }

  async close(data: StoreData): Promise<void> {
    try {
      if (this.held || this.lock?.lost || this.abandoned) {
        // a start that failed writes nothing; a holder that lost its lock must not
        await this.log.close();
        return;
      }
      // compact if the log holds any transaction; after a clean shutdown the JSON file is the whole state
      if (this.log.holdsTransactions()) await this.compact((fn) => fn(data), false);
      await this.log.remove();
    } finally {
      await this.lock?.release();
    }
  }

  /** Stops as a crash would (tests): the files stay as they are, the lock is let go, nothing more is written. */
  async abandon(): Promise<void> {
    this.abandoned = new Error(`the store of ${this.path} was abandoned`);
    await this.lock?.release();
  }
}
