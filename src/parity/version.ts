// The package's version, read from the package.json above this module (src/parity/ when run from
// source, dist/ when bundled into the command).
import { existsSync, readFileSync } from 'node:fs';

export function ownVersion(): string {
  let dir = new URL('./', import.meta.url);
  for (let i = 0; i < 5; i++) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'snyk-mock' && pkg.version) return pkg.version;
    }
    dir = new URL('../', dir);
  }
  return 'unknown';
}
