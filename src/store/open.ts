// Opens the store a server runs on: load the data file (or memory), or seed it from the fixtures on
// first start. An unreadable file stops the start unless SNYK_MOCK_ON_CORRUPT=reseed.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../settings/clock.js';
import type { Settings } from '../settings/config.js';
import type { ParsedFixtures } from '../schemas/fixtures.js';
import { demoTokenChanges } from './demo-token.js';
import { CorruptStoreError, FilePersistence, moveAside, type FileSystem } from './file-persistence.js';
import { seedData } from './seed.js';
import { MemoryPersistence, Store, type Persistence } from './store.js';

export interface OpenOptions {
  settings: Settings;
  clock: Clock;
  log: FastifyBaseLogger;
  /** what a first start is seeded from */
  fixtures: ParsedFixtures;
  /** file-system layer of the file store (tests inject failures here) */
  fs?: FileSystem;
  /** compact the change log at this size (tests); default see FilePersistence */
  compactBytes?: number;
}

export async function openStore(opts: OpenOptions): Promise<Store> {
  const { settings, log } = opts;
  const persistence: Persistence =
    settings.store === 'memory'
      ? new MemoryPersistence()
      : new FilePersistence(settings.db, { fs: opts.fs, warn: (obj, msg) => log.warn(obj, msg), compactBytes: opts.compactBytes });
  let loaded;
  try {
    loaded = await persistence.load();
  } catch (err) {
    if (!(err instanceof CorruptStoreError) || settings.onCorrupt !== 'reseed' || !(persistence instanceof FilePersistence)) throw err;
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
    const data = seedData(opts.fixtures, { now: opts.clock.now() });
    await persistence.replace(data);
    loaded = { data, replay: [] };
  }
  const store = new Store(persistence, loaded, { warn: (obj, msg) => log.warn(obj, msg) });
  if (loaded.migratedFrom !== undefined) {
    // written back at once in the current format, so the log never mixes record formats
    await persistence.replace(store.data);
    log.warn({ file: persistence.path, fromSchemaVersion: loaded.migratedFrom }, 'data file migrated to the current schemaVersion');
  }
  // a fresh seed and a data file that already exists alike
  const demo = demoTokenChanges(store.state, settings.demoToken, opts.clock.now());
  if (demo.length > 0) await store.commit(demo);
  return store;
}
