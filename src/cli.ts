#!/usr/bin/env node
// The `snyk-mock` command: flags > SNYK_MOCK_* environment variables > defaults (see args.ts),
// then the server, closed gracefully on SIGTERM / SIGINT.
import { parseCli, UsageError } from './args.js';

let parsed;
try {
  parsed = parseCli(process.argv.slice(2), process.env);
} catch (err) {
  console.error(`snyk-mock: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}

if (parsed.action !== 'start') {
  console.log(parsed.text);
} else {
  try {
    // loaded only now: --help, --version and usage errors answer without loading the server
    const { closeOnSignals, start } = await import('./server.js');
    // the settings are complete: the environment has been read once, by parseCli
    const { app } = await start({ settings: parsed.settings, env: {} });
    closeOnSignals(app);
  } catch (err) {
    console.error(`snyk-mock: ${(err as Error).message}`);
    process.exit(1);
  }
}
