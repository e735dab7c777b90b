// The JSON file, through lowdb with an adapter of our own: lowdb's JSONFile (steno) never fsyncs, so
// a crash could lose acknowledged writes. This one writes a temp file, fsyncs it, renames it over the
// data file and fsyncs the directory. An unreadable file is reported, never overwritten.
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low, type Adapter } from 'lowdb';
import { Value } from '@sinclair/typebox/value';
import { SCHEMA_VERSION, StoreData } from '../schemas/store.js';
import type { Persistence } from './store.js';

/** A data file that cannot be used as it is; the message names the file and the fix. */
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

/** The file-system calls the store makes, so tests can inject failures (tests run as root). */
export interface FileSystem {
  readFile(path: string): Promise<string | undefined>;
  writeFileDurably(path: string, text: string): Promise<void>;
}

export const nodeFileSystem: FileSystem = {
  async readFile(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
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
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  },
};

/** lowdb adapter over FileSystem; validates what it reads. */
export class DurableJSONFile implements Adapter<StoreData> {
  constructor(
    readonly path: string,
    private readonly fs: FileSystem = nodeFileSystem,
  ) {}

  async read(): Promise<StoreData | null> {
    const text = await this.fs.readFile(this.path);
    if (text === undefined) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CorruptStoreError(this.path, text.trim() === '' ? 'it is empty' : `it is not valid JSON (${(err as Error).message}), perhaps truncated`);
    }
    const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (version !== SCHEMA_VERSION) {
      throw new CorruptStoreError(this.path, `its schemaVersion is ${JSON.stringify(version)}, and this snyk-mock reads schemaVersion ${SCHEMA_VERSION} only`);
    }
    if (!Value.Check(StoreData, parsed)) {
      const first = Value.Errors(StoreData, parsed).First();
      throw new CorruptStoreError(this.path, `it does not match the store schema at ${first?.path || '/'} (${first?.message})`);
    }
    return parsed;
  }

  async write(data: StoreData): Promise<void> {
    await this.fs.writeFileDurably(this.path, JSON.stringify(data));
  }
}

/** Moves an unusable data file aside (`<file>.corrupt-<timestamp>`), for SNYK_MOCK_ON_CORRUPT=reseed. */
export async function moveAside(path: string, now: Date): Promise<string> {
  const target = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  await stat(path);
  await rename(path, target);
  return target;
}

/** Rewrites the whole file on each flush (one flush serves every write queued behind it). */
export class FilePersistence implements Persistence {
  readonly kind = 'file' as const;
  private readonly db: Low<StoreData | null>;

  constructor(
    readonly path: string,
    fs: FileSystem = nodeFileSystem,
  ) {
    this.db = new Low<StoreData | null>(new DurableJSONFile(path, fs) as Adapter<StoreData | null>, null);
  }

  async load() {
    await this.db.read();
    return this.db.data ?? undefined;
  }

  async flush(data: StoreData) {
    this.db.data = data;
    await this.db.write();
  }

  async replace(data: StoreData) {
    await this.flush(data);
  }

  async close(data: StoreData) {
    await this.flush(data);
  }
}
