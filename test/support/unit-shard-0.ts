// one of test:unit's processes (unit-shards.ts)
import { runShard } from './unit-shards.js';

await runShard(0);
