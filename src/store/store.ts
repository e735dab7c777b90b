// The store: reads come from memory (State); writes are applied in memory at once and then made
// durable by the Persistence behind it. Writes waiting while a flush runs share the next flush
// (group commit). A failed flush rolls back, newest first, every change not yet durable, and
// rejects its writers: nothing is acknowledged that is not on disk.
import { Low, Memory } from 'lowdb';
import { COLLECTIONS, type CollectionName, type StoreData } from '../schemas/store.js';
import { State, type Change } from './state.js';

export type { Change } from './state.js';

/** What a persistence loads: the saved data and the transactions logged since it was saved. */
export interface Loaded {
  data: StoreData;
  /** transactions (one Store.commit each) to apply on top of `data`, oldest first */
  replay: Change[][];
  /** the files were written at this older schemaVersion and have been migrated in memory */
  migratedFrom?: number;
}

/** Runs `fn` on the state as it is durable (writes applied but not yet flushed are left out). */
export type DurableView = <T>(fn: (data: StoreData) => T) => T;

/** Where the state lives between runs. The Store never runs two of its operations at once. */
export interface Persistence {
  readonly kind: 'file' | 'memory';
  /** the data file, for file persistence */
  readonly path?: string;
  /** Loads the saved state, or undefined when there is none yet (first start: seed it). */
  load(): Promise<Loaded | undefined>;
  /** Makes `transactions` (already applied to `data`) durable, all at once; resolves only once they are. */
  flush(data: StoreData, transactions: Change[][]): Promise<void>;
  /** Housekeeping between flushes (compaction); must not fail a write already acknowledged. */
  maintain?(durable: DurableView): Promise<void>;
  /** Replaces everything saved with `data` (seed, reset). */
  replace(data: StoreData): Promise<void>;
  /** The start succeeded: write what was held back until then (see FilePersistence's `hold`). */
  started?(durable: DurableView): Promise<void>;
  close(data: StoreData): Promise<void>;
}

/** Keeps nothing between runs; lowdb's Memory adapter holds the data. */
export class MemoryPersistence implements Persistence {
  readonly kind = 'memory' as const;
  private readonly db = new Low<StoreData | null>(new Memory<StoreData | null>(), null);
  async load() {
    await this.db.read();
    return this.db.data ? { data: this.db.data, replay: [] } : undefined;
  }
  async flush() {}
  async replace(data: StoreData) {
    this.db.data = data;
    await this.db.write();
  }
  async close() {}
}

/** A durable write: one group commit (the collections it touched), or a whole-state replace. */
export interface StoreChange {
  kind: 'commit' | 'replace';
  collections: CollectionName[];
}

interface Batch {
  changes: Change[];
  undo: Change[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface StoreOptions {
  /** a failed housekeeping step (it fails no write: the next flush runs as usual) */
  warn?: (obj: Record<string, unknown>, msg: string) => void;
}

export class Store {
  state: State;
  private pending: Batch[] = [];
  private flushing: Promise<void> | undefined;
  /** a replace in progress: flushes wait for it */
  private replacing: Promise<void> | undefined;
  private readonly changeListeners = new Set<(change: StoreChange) => void>();
  /** the persistence has written what it held back until the start succeeded (see begin()) */
  private begun = false;
  private beginning: Promise<void> | undefined;

  constructor(
    readonly persistence: Persistence,
    loaded: StoreData | Loaded,
    private readonly opts: StoreOptions = {},
  ) {
    const { data, replay } = 'replay' in loaded ? loaded : { data: loaded, replay: [] };
    this.state = new State(data);
    for (const t of replay) for (const c of t) this.state.apply(c);
  }

  get data(): StoreData {
    return this.state.data;
  }

  /**
   * Applies `changes` now (readers see them at once) and resolves when they are durable. Callers
   * check their preconditions synchronously before calling, so checks and writes cannot interleave.
   */
  commit(changes: Change[]): Promise<void> {
    const undo = changes.map((c) => this.state.apply(c));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ changes, undo, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  /**
   * Flushes pending batches until none is left. Whatever happens in it, `flushing` is cleared at
   * the end, so the next commit starts a drain of its own: a write never waits on a drain that is over.
   */
  private async drain(): Promise<void> {
    try {
      while (this.replacing) await this.replacing;
      while (this.pending.length > 0) {
        const beginning = this.begin();
        if (beginning) {
          try {
            await beginning;
          } catch (err) {
            this.rollBack(this.pending, err);
            this.pending = [];
            continue;
          }
        }
        const batches = this.pending;
        this.pending = [];
        try {
          await this.persistence.flush(
            this.state.data,
            batches.map((b) => b.changes),
          );
        } catch (err) {
          this.rollBack([...batches, ...this.pending], err);
          this.pending = [];
          continue;
        }
        for (const b of batches) b.resolve();
        this.changed({ kind: 'commit', collections: [...new Set(batches.flatMap((b) => b.changes.map((c) => c.coll)))] });
        // no await without housekeeping: a drain with nothing left ends in this turn, so a write made
        // once its writers resume starts a flush of its own
        const housekeeping = this.maintain();
        if (housekeeping) await housekeeping;
      }
    } finally {
      this.flushing = undefined;
    }
  }

  /** Housekeeping between flushes (undefined when there is none): its failure is reported, never a writer's failure. */
  private maintain(): Promise<void> | undefined {
    return this.persistence
      .maintain?.((fn) => this.durableView(fn))
      .catch((err: unknown) => {
        this.opts.warn?.({ err }, 'store maintenance failed; writes go on');
      });
  }

  /** Undoes `batches` (everything applied after them too), newest first, and rejects their writers. */
  private rollBack(batches: Batch[], err: unknown): void {
    for (let i = batches.length - 1; i >= 0; i--) {
      const undo = batches[i].undo;
      for (let j = undo.length - 1; j >= 0; j--) this.state.apply(undo[j]);
    }
    for (const b of batches) b.reject(err);
  }

  /** Runs `fn` with the pending (not yet durable) writes taken out of the state, synchronously. */
  private durableView<T>(fn: (data: StoreData) => T): T {
    const batches = this.pending;
    for (let i = batches.length - 1; i >= 0; i--) {
      const undo = batches[i].undo;
      for (let j = undo.length - 1; j >= 0; j--) this.state.apply(undo[j]);
    }
    try {
      return fn(this.state.data);
    } finally {
      for (const b of batches) b.undo = b.changes.map((c) => this.state.apply(c));
    }
  }

  /** Waits for every write accepted so far to be durable (or to fail). */
  async settle(): Promise<void> {
    while (this.flushing || this.replacing) await (this.flushing ?? this.replacing);
  }

  /**
   * Replaces the whole state (admin seed / reset) once pending writes have settled. Readers see the
   * new state at once; writes made meanwhile are flushed after it, or rolled back if it fails.
   * `adjust` gives changes made to the new state before anyone sees it (e.g. the demo token).
   */
  async replace(data: StoreData, adjust?: (state: State) => Change[]): Promise<void> {
    await this.settle();
    const previous = this.state;
    const next = new State(data);
    for (const c of adjust?.(next) ?? []) next.apply(c);
    this.state = next;
    const replacing = this.persistence.replace(data);
    this.replacing = replacing.catch(() => {});
    try {
      await replacing;
    } catch (err) {
      this.rollBack(this.pending, err);
      this.pending = [];
      this.state = previous;
      throw err;
    } finally {
      this.replacing = undefined;
    }
    this.changed({ kind: 'replace', collections: [...COLLECTIONS] });
  }

  /** The start succeeded (the server listens): the persistence writes what it held back until now. */
  async started(): Promise<void> {
    await this.settle();
    await this.begin();
  }

  /** Once, before the first write (or at started()): the persistence's held-back writes; retried after a failure. */
  private begin(): Promise<void> | undefined {
    if (this.begun || !this.persistence.started) return undefined;
    this.beginning ??= this.persistence
      .started((fn) => this.durableView(fn))
      .then(
        () => {
          this.begun = true;
          this.beginning = undefined;
        },
        (err: unknown) => {
          this.beginning = undefined;
          throw err;
        },
      );
    return this.beginning;
  }

  /** Calls `listener` after every write that became durable (once per group commit); returns the unsubscribe function. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  private changed(change: StoreChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  async close(): Promise<void> {
    await this.settle();
    await this.persistence.close(this.state.data);
  }
}
