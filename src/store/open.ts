// Opens the store a server runs on: memory, or the data file, locked first (one writer per data
// file, lock.ts) and then loaded, or seeded from the fixtures on first start. An unreadable file
// stops the start unless SNYK_MOCK_ON_CORRUPT=reseed. Nothing is written until the start has
// succeeded (Store.started(), after listen): the seed, a migration and the demo token are held in
// memory until then, so a start that fails leaves no file behind.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../settings/clock.js';
import type { Settings } from '../settings/config.js';
import type { ParsedFixtures } from '../schemas/fixtures.js';
import { CorruptStoreError, moveAside } from './data-file.js';
import { demoTokenChanges } from './demo-token.js';
import { FilePersistence } from './file-persistence.js';
import { removeStrayTempFiles, type FileSystem } from './file-system.js';
import { DataFileLock } from './lock.js';
import { seedData } from './seed.js';
import { MemoryPersistence, Store, type Loaded } from './store.js';

export interface OpenOptions {
  settings: Settings;
  clock: Clock;
  log: FastifyBaseLogger;
  /** what a first start is seeded from */
  fixtures: ParsedFixtures;
  /** where fixtures were given explicitly (a file, or the fixtures option): said when they are not applied */
  fixturesSource?: string;
  /** file-system layer of the file store (tests inject failures here) */
  fs?: FileSystem;
  /** compact the change log at this size (tests); default see FilePersistence */
  compactBytes?: number;
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  const { settings, log } = opts;
  if (settings.store === 'memory') {
    const persistence = new MemoryPersistence();
    const data = seedData(opts.fixtures, { now: opts.clock.now() });
    await persistence.replace(data);
    const store = new Store(persistence, { data, replay: [] }, { warn: (obj, msg) => log.warn(obj, msg) });
    const demo = demoTokenChanges(store.state, settings.demoToken, opts.clock.now());
    if (demo.length > 0) await store.commit(demo);
    return store;
  }
  // taken before the file is read, released when the store closes (or the process exits)
  const lock = await DataFileLock.acquire(settings.db, { info: (obj, msg) => log.info(obj, msg) });
  lock.onLost((err) => log.error({ err, file: lock.path }, err.message));
  try {
    return await openFile(opts, lock);
  } catch (err) {
    await lock.release();
    throw err;
  }
}

async function openFile(opts: OpenOptions, lock: DataFileLock): Promise<Store> {
  const { settings, log } = opts;
  // with the lock held no other process writes here: every temp file is a predecessor's leftover
  const stray = [...(await removeStrayTempFiles(settings.db)), ...(await removeStrayTempFiles(lock.holderPath))];
  if (stray.length > 0) log.info({ files: stray }, 'removed temp files that an earlier run left behind');
  const persistence = new FilePersistence(settings.db, {
    fs: opts.fs,
    warn: (obj, msg) => log.warn(obj, msg),
    compactBytes: opts.compactBytes,
    lock,
    hold: true,
  });
  let loaded: Loaded | undefined;
  try {
    loaded = await persistence.load();
  } catch (err) {
    if (!(err instanceof CorruptStoreError) || settings.onCorrupt !== 'reseed') throw err;
    // the data file and its log go together: both are moved aside
    const now = opts.clock.now();
    for (const file of persistence.files()) {
      const aside = await moveAside(file, now).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined;
        throw e;
      });
      if (aside) log.warn({ file, movedTo: aside, reason: (err as Error).message }, 'store file unusable: moved aside, starting from the seed');
    }
    loaded = await persistence.load();
  }
  if (!loaded) {
    loaded = { data: seedData(opts.fixtures, { now: opts.clock.now() }), replay: [] };
    persistence.markUnsaved();
  } else if (opts.fixturesSource !== undefined) {
    log.warn(
      { fixtures: opts.fixturesSource, file: persistence.path },
      `Fixtures (${opts.fixturesSource}) not applied: the data file ${persistence.path} already exists and is used as it is; ` +
        'to apply them, reset (POST /__admin/reset) or start on another data file (--db)',
    );
  }
  const store = new Store(persistence, loaded, { warn: (obj, msg) => log.warn(obj, msg) });
  if (loaded.migratedFrom !== undefined) {
    // written back whole in the current format once the start succeeds, so the log never mixes record formats
    persistence.markUnsaved();
    log.warn({ file: persistence.path, fromSchemaVersion: loaded.migratedFrom }, 'data file migrated to the current schemaVersion');
  }
  // a fresh seed and a data file that already exists alike
  const demo = demoTokenChanges(store.state, settings.demoToken, opts.clock.now());
  if (demo.length > 0) {
    for (const change of demo) store.state.apply(change);
    persistence.markUnsaved();
  }
  return store;
}
