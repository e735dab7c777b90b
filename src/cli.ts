#!/usr/bin/env node
// The `snyk-mock` command: settings from SNYK_MOCK_* environment variables → server.
import { closeOnSignals, start } from './server.js';

try {
  const { app } = await start();
  closeOnSignals(app);
} catch (err) {
  console.error(`snyk-mock: ${(err as Error).message}`);
  process.exit(1);
}
