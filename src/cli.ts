#!/usr/bin/env node
// The `snyk-mock` command: flags > SNYK_MOCK_* environment variables > defaults, resolved once by
// args.ts (the CLI profile of config.ts), then the server, closed gracefully on SIGTERM / SIGINT.
import { parseCli, UsageError } from './settings/args.js';

// `snyk-mock parity record|run|compare`: a command of its own, with its own flags (src/parity/cli.ts)
if (process.argv[2] === 'parity') {
  const { main } = await import('./parity/cli.js');
  process.exit(await main(process.argv.slice(3)));
}

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
    // signals are handled from the start on: one during the start's held-back writes (a big seed)
    // closes once they are on disk, never kills the process halfway
    const starting = start(parsed.settings).then((s) => s.app);
    closeOnSignals(starting);
    await starting;
  } catch (err) {
    // the message is enough to act on; at debug level the stack too, for a report
    const verbose = parsed.settings.logLevel === 'debug' || parsed.settings.logLevel === 'trace';
    console.error(`snyk-mock: ${verbose && err instanceof Error && err.stack ? err.stack : (err as Error).message}`);
    process.exit(1);
  }
}
