// One writer per data file. Before the file store reads its data file it takes `<db>.lock` with
// proper-lockfile (an atomic mkdir whose mtime the holder refreshes every LOCK_UPDATE_MS; a lock
// not refreshed for LOCK_STALE_MS is stale and may be taken over). Staleness by mtime, not by pid,
// works between containers on one volume, where pids mean nothing to each other. Beside the lock,
// `<db>.holder.json` says who holds it (pid, host, since when) for the message of a refused start.
// A holder that is merely slow keeps refreshing, so it is never taken over; one that finds its lock
// compromised (taken over after all, or removed) stops writing (FilePersistence) and says so.
import { randomUUID } from 'node:crypto';
import { readFileSync, rmdirSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { lock as lockFile } from 'proper-lockfile';
import { ifExists, tempFileOf } from './file-system.js';

/** A lock not refreshed for this long is stale: a new start takes it over. */
const LOCK_STALE_MS = 10_000;
/** How often the holder refreshes its lock (well inside LOCK_STALE_MS). */
const LOCK_UPDATE_MS = 2_000;
const POLL_MS = 250;
const TOOK_OVER = 'took over the data file from a holder that no longer refreshed its lock';

/** Who holds a data file, as recorded in `<db>.holder.json`. */
export interface Holder {
  pid: number;
  host: string;
  /** ISO time the lock was taken */
  since: string;
  /** tells this holder's record from a later one's */
  id: string;
}

const ADVICE = 'Stop that one, or start this one on another data file (--db, SNYK_MOCK_DB).';

/** A start refused because another process holds the data file. */
export class DataFileLockedError extends Error {
  constructor(
    readonly path: string,
    readonly holder: Holder | undefined,
  ) {
    const who = holder ? `pid ${holder.pid} on host ${holder.host}, since ${holder.since}` : `its lock ${path}.lock is held, with no record of the holder`;
    super(`The data file ${path} is in use by another snyk-mock (${who}). ${ADVICE}`);
    this.name = 'DataFileLockedError';
  }
}

/** The data file's directory cannot be written: the start is refused (naming the path and the errno). */
function unwritable(dir: string, db: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  return new Error(
    `Cannot write in the data directory ${dir} (for the data file ${db}): ${e.code && !e.message.startsWith(e.code) ? `${e.code}: ` : ''}${e.message}. ` +
      `snyk-mock keeps its data file, change log and lock there: give a writable --db (SNYK_MOCK_DB), or --in-memory.`,
    { cause: err },
  );
}

export interface LockOptions {
  /** the holder found its lock compromised: it must stop writing */
  onCompromised?: (err: Error) => void;
  /** a line worth logging (waiting for a dead holder's lock to expire, taking it over) */
  info?: (obj: Record<string, unknown>, msg: string) => void;
}

/** Locks of this process (lock paths), and what the exit hook undoes if the process ends holding them. */
const held = new Map<string, DataFileLock>();
let exitHook = false;

const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DataFileLock {
  /** set once the lock is compromised: the holder must not write any more */
  lost: Error | undefined;
  private released = false;
  private keepDirs = false;

  private constructor(
    /** the data file, as given (absolute) */
    readonly path: string,
    /** the data file with its directory's symlinks resolved: what is locked */
    private readonly target: string,
    readonly holder: Holder,
    private readonly unlock: () => Promise<void>,
    /** the first directory this start created for the data file, if any */
    private readonly createdDir: string | undefined,
  ) {}

  get lockPath(): string {
    return `${this.target}.lock`;
  }
  get holderPath(): string {
    return `${this.target}.holder.json`;
  }

  /**
   * Takes the lock of `db`, creating its directory if needed; refuses (DataFileLockedError) while
   * another process holds it. A holder that no longer refreshes its lock (killed) is waited out.
   */
  static async acquire(db: string, opts: LockOptions = {}): Promise<DataFileLock> {
    const path = resolve(db);
    const dir = dirname(path);
    let createdDir: string | undefined;
    try {
      createdDir = await mkdir(dir, { recursive: true });
    } catch (err) {
      // mkdir -p on a path that is a file: that is what ENOTDIR names
      const e = err as NodeJS.ErrnoException;
      throw unwritable(dir, path, e.code === 'EEXIST' ? Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR' }) : err);
    }
    const target = (await realpath(path).catch(() => undefined)) ?? join(await realpath(dir), basename(path));
    let self: DataFileLock | undefined;
    const take = () =>
      lockFile(target, {
        realpath: false,
        stale: LOCK_STALE_MS,
        update: LOCK_UPDATE_MS,
        onCompromised: (err) => self?.compromised(err),
      });
    // a lock already there that take() gets is one left stale (a killed holder): say whose
    const leftover = (await ifExists(stat(`${target}.lock`))) !== undefined;
    const before = leftover ? await readHolder(`${target}.holder.json`) : undefined;
    let unlock: () => Promise<void>;
    try {
      unlock = await take().then(
        (unlock) => {
          if (leftover) opts.info?.({ file: path, holder: before }, TOOK_OVER);
          return unlock;
        },
        (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ELOCKED') throw unwritable(dir, path, err);
          return DataFileLock.waitForStale(path, target, take, opts);
        },
      );
    } catch (err) {
      if (createdDir) await removeCreatedDirs(dir, createdDir);
      throw err;
    }
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), id: randomUUID() };
    self = new DataFileLock(path, target, holder, unlock, createdDir);
    held.set(self.lockPath, self);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const lock of held.values()) lock.releaseSync();
      });
    }
    try {
      // written through a temp file, so that a refused start never reads half a record
      const tmp = tempFileOf(self.holderPath);
      await writeFile(tmp, `${JSON.stringify(holder)}\n`);
      await rename(tmp, self.holderPath);
    } catch (err) {
      await self.release();
      throw unwritable(dir, path, err);
    }
    return self;
  }

  /**
   * The lock is held. Refuses at once when its holder is known to be alive (this process, or a
   * live pid on this host); otherwise watches it: a refresh means a live holder (refused), a lock
   * left stale is taken over, within LOCK_STALE_MS (+ a refresh interval).
   */
  private static async waitForStale(path: string, target: string, take: () => Promise<() => Promise<void>>, opts: LockOptions): Promise<() => Promise<void>> {
    const lockPath = `${target}.lock`;
    const holder = await readHolder(`${target}.holder.json`);
    const local = holder?.host === hostname();
    if (held.has(lockPath) || (local && holder.pid !== process.pid && pidAlive(holder.pid))) throw new DataFileLockedError(path, holder);
    const first = await ifExists(stat(lockPath));
    opts.info?.(
      { file: path, holder },
      `the data file's lock is held by ${holder ? `pid ${holder.pid} on host ${holder.host}` : 'an unknown process'}${local ? ', which is no longer running' : ''}: ` +
        `waiting up to ${(LOCK_STALE_MS + LOCK_UPDATE_MS) / 1000} s to see whether it is still refreshed`,
    );
    const deadline = Date.now() + LOCK_STALE_MS + LOCK_UPDATE_MS + 1000;
    for (;;) {
      await sleep(POLL_MS);
      try {
        const unlock = await take();
        opts.info?.({ file: path, holder }, TOOK_OVER);
        return unlock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw unwritable(dirname(path), path, err);
      }
      const now = await ifExists(stat(lockPath));
      const refreshed = first && now && now.mtimeMs !== first.mtimeMs;
      if (refreshed || Date.now() > deadline) throw new DataFileLockedError(path, (await readHolder(`${target}.holder.json`)) ?? holder);
    }
  }

  private compromised(err: Error): void {
    this.lost = new Error(
      `Lost the lock of the data file ${this.path} (${err.message}): another process may be writing it now. This server stopped writing it.`,
      { cause: err },
    );
    held.delete(this.lockPath);
    for (const fn of this.listeners) fn(this.lost!);
  }
  private readonly listeners: ((err: Error) => void)[] = [];
  /** Calls `fn` if the lock is compromised. */
  onLost(fn: (err: Error) => void): void {
    this.listeners.push(fn);
  }

  /** The start succeeded: the directories it created for the data file stay after release. */
  keep(): void {
    this.keepDirs = true;
  }

  /** Lets go of the data file (its record, then the lock; directories created by a failed start go too). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    held.delete(this.lockPath);
    if (this.lost) return;
    if ((await readHolder(this.holderPath))?.id === this.holder.id) await ifExists(unlink(this.holderPath));
    await this.unlock().catch(() => {});
    if (this.createdDir && !this.keepDirs) await removeCreatedDirs(dirname(this.path), this.createdDir);
  }

  /** At process exit, holding the lock (the process did not close): the same, synchronously. */
  private releaseSync(): void {
    if (this.released || this.lost) return;
    this.released = true;
    try {
      if ((JSON.parse(readFileSync(this.holderPath, 'utf8')) as Holder).id === this.holder.id) unlinkSync(this.holderPath);
    } catch {}
    try {
      rmdirSync(this.lockPath);
    } catch {}
  }
}

async function readHolder(file: string): Promise<Holder | undefined> {
  try {
    const h = JSON.parse(await readFile(file, 'utf8')) as Holder;
    return typeof h?.pid === 'number' && typeof h.host === 'string' && typeof h.since === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Removes `dir` and its parents up to `created` (the first one a start created), if empty. */
async function removeCreatedDirs(dir: string, created: string): Promise<void> {
  for (let d = dir; d.startsWith(created); d = dirname(d)) {
    if (
      !(await rmdir(d).then(
        () => true,
        () => false,
      ))
    )
      return;
    if (d === created) return;
  }
}
