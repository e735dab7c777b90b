#!/usr/bin/env node
// The `snyk-mock` bin. Turns on Node's module compile cache (Node >= 22.1; the Docker image runs
// Node 24) before anything else loads, so starts after the first skip most module compilation.
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('./cli-main.js');
