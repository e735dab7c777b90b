#!/usr/bin/env node
// npm run fuzz [-- --runs N] [--seed S] [--path P]: a long property-based fuzzing run of /rest
// (test/fuzz/requests.test.ts) with a random seed unless one is given. It prints the seed first;
// a failure prints the seed and path that replay it: npm run fuzz -- --seed S --path P
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '50000' }, seed: { type: 'string' }, path: { type: 'string' } },
});
const seed = values.seed ?? String(randomInt(2 ** 31));
if (!/^-?\d+$/.test(seed) || !/^\d+$/.test(values.runs)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--path P]');
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, ${values.runs} runs${values.path ? `, path ${values.path}` : ''} (replay: npm run fuzz -- --seed ${seed})`);
const env = { ...process.env, FUZZ_SEED: seed, FUZZ_RUNS: values.runs, FUZZ_TIMEOUT_MS: '0', ...(values.path ? { FUZZ_PATH: values.path } : {}) };
const tap = spawnSync('npx', ['tap', '--disable-coverage', '--timeout=0', '--reporter=tap', 'test/fuzz/requests.test.ts'], { stdio: 'inherit', env });
process.exit(tap.status ?? 1);
