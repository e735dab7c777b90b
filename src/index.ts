// The public API for test suites that start the mock in-process.
export { build, type BuildOptions } from './app.js';
export { start } from './server.js';
export { loadSettings, Settings } from './config.js';
export type * from './schemas/service-account.js';
export type { Fixtures } from './schemas/fixtures.js';
