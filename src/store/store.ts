// The store: reads come from memory (State); writes are applied in memory at once and then made
// durable by the Persistence behind it. Writes waiting while a flush runs share the next flush
// (group commit). A failed flush rolls back, newest first, every change not yet durable, and
// rejects its writers: nothing is acknowledged that is not on disk.
import { Low, Memory } from 'lowdb';
import type { StoreData } from '../schemas/store.js';
import { State, type Change } from './state.js';

export type { Change } from './state.js';

/** Where the state lives between runs. */
export interface Persistence {
  readonly kind: 'file' | 'memory';
  /** the data file, for file persistence */
  readonly path?: string;
  /** Loads the saved state, or undefined when there is none yet (first start: seed it). */
  load(): Promise<StoreData | undefined>;
  /** Makes `changes` (already applied to `data`) durable; resolves only once they are. */
  flush(data: StoreData, changes: Change[]): Promise<void>;
  /** Replaces everything saved with `data` (seed, reset). */
  replace(data: StoreData): Promise<void>;
  close(data: StoreData): Promise<void>;
}

/** Keeps nothing between runs; lowdb's Memory adapter holds the data. */
export class MemoryPersistence implements Persistence {
  readonly kind = 'memory' as const;
  private readonly db = new Low<StoreData | null>(new Memory<StoreData | null>(), null);
  async load() {
    await this.db.read();
    return this.db.data ?? undefined;
  }
  async flush() {}
  async replace(data: StoreData) {
    this.db.data = data;
    await this.db.write();
  }
  async close() {}
}

interface Batch {
  changes: Change[];
  undo: Change[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

export class Store {
  state: State;
  private pending: Batch[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    readonly persistence: Persistence,
    data: StoreData,
  ) {
    this.state = new State(data);
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

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batches = this.pending;
      this.pending = [];
      try {
        await this.persistence.flush(
          this.state.data,
          batches.flatMap((b) => b.changes),
        );
        for (const b of batches) b.resolve();
      } catch (err) {
        // roll back this flush and everything applied after it, newest first
        const all = [...batches, ...this.pending];
        this.pending = [];
        for (let i = all.length - 1; i >= 0; i--) {
          const undo = all[i].undo;
          for (let j = undo.length - 1; j >= 0; j--) this.state.apply(undo[j]);
        }
        for (const b of all) b.reject(err);
      }
    }
    this.flushing = undefined;
  }

  /** Waits for every write accepted so far to be durable (or to fail). */
  async settle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Replaces the whole state (admin seed / reset) once pending writes have settled. */
  async replace(data: StoreData): Promise<void> {
    await this.settle();
    await this.persistence.replace(data);
    this.state = new State(data);
  }

  async close(): Promise<void> {
    await this.settle();
    await this.persistence.close(this.state.data);
  }
}
