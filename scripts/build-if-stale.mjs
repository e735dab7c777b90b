#!/usr/bin/env node
// Runs `npm run build` only when dist/ is not the build of the current sources: `prepare` (npm ci,
// npm install from git), `prestart` and `npm test` call it, so a second `npm start` starts at once.
// The build's inputs are fingerprinted (path, size and mtime of each file); the fingerprint taken
// before a build that succeeded is kept in dist/.build-stamp. A file edited during the build changes
// its mtime, so the next check builds again. `--check` only reports (exit 1 when stale).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const STAMP = join(root, 'dist', '.build-stamp');
/** What the build reads: sources, the dashboard, the build scripts, the compiler and package settings. */
const INPUTS = ['src', 'ui', 'scripts/bundle-cli.mjs', 'scripts/build-ui.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
/** What a complete build leaves (a build stopped half-way leaves no stamp either). */
const OUTPUTS = ['dist/cli.js', 'dist/index.js', 'dist/healthcheck.js', 'dist/ui/index.html', 'dist/compiled-schemas'];

function* files(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (!st.isDirectory()) {
    yield [relative(root, path), st.size, st.mtimeMs];
    return;
  }
  for (const name of readdirSync(path).sort()) yield* files(join(path, name));
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) for (const entry of files(join(root, input))) hash.update(`${entry.join('\t')}\n`);
  return hash.digest('hex');
}

function isCurrent(print = fingerprint()) {
  if (!OUTPUTS.every((p) => existsSync(join(root, p)))) return false;
  try {
    return readFileSync(STAMP, 'utf8').trim() === print;
  } catch {
    return false;
  }
}

const print = fingerprint();
if (isCurrent(print)) {
  console.log('dist/ is current (no build needed)');
} else if (process.argv.includes('--check')) {
  console.log('dist/ is stale');
  process.exit(1);
} else {
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, `${print}\n`);
}
