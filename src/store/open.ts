// Opens the store a server runs on: load the data file (or memory), or seed it from the fixtures on
// first start. An unreadable file stops the start unless SNYK_MOCK_ON_CORRUPT=reseed.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Settings } from '../config.js';
import { credentialRecord } from '../snyk/credentials.js';
import type { Fixtures } from '../schemas/fixtures.js';
import { CorruptStoreError, FilePersistence, moveAside, type FileSystem } from './file-persistence.js';
import { loadFixturesFile, seedData } from './seed.js';
import { MemoryPersistence, Store, type Persistence } from './store.js';

export interface OpenOptions {
  settings: Settings;
  clock: Clock;
  log: FastifyBaseLogger;
  /** fixtures given in-process instead of the settings' file */
  fixtures?: Fixtures;
  /** file-system layer of the file store (tests inject failures here) */
  fs?: FileSystem;
  /** compact the change log at this size (tests); default see FilePersistence */
  compactBytes?: number;
}

export async function loadSeed(opts: OpenOptions) {
  const fixtures = opts.fixtures ?? (await loadFixturesFile(opts.settings.fixtures));
  return seedData(fixtures, { now: opts.clock.now(), demoToken: opts.settings.demoToken });
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
    const data = await loadSeed(opts);
    await persistence.replace(data);
    loaded = { data, replay: [] };
  }
  const store = new Store(persistence, loaded);
  if (loaded.migratedFrom !== undefined) {
    // written back at once in the current format, so the log never mixes record formats
    await persistence.replace(store.data);
    log.warn({ file: persistence.path, fromSchemaVersion: loaded.migratedFrom }, 'data file migrated to the current schemaVersion');
  }
  await ensureDemoToken(store, settings.demoToken, opts.clock);
  return store;
}

/** SNYK_MOCK_DEMO_TOKEN also works on an existing data file: it becomes the demo user's token. */
async function ensureDemoToken(store: Store, token: string | undefined, clock: Clock): Promise<void> {
  if (!token) return;
  if (store.state.findCredential(token)) return;
  const user = store.data.users.find((u) => u.demo);
  if (!user) return;
  await store.commit([
    { op: 'put', coll: 'credentials', value: credentialRecord(token, { kind: 'user_token', principal_type: 'user', principal_id: user.id, created_at: clock.now().toISOString() }) },
  ]);
}
