// Shared by the parity tests: a mock as upstream, the recording proxy in front of it, and the
// scenarios run through the proxy (the recording of the mock by itself).
import { startMockServer, type MockServer } from '../../src/index.js';
import { startRecorder, type Recorder } from '../../src/parity/record.js';
import { run, type RunResult } from '../../src/parity/runner.js';
import { IDS, TOKENS } from '../helper.js';

interface Tap {
  teardown(fn: () => unknown): void;
}

export async function upstreamMock(t: Tap): Promise<MockServer> {
  const mock = await startMockServer({ logLevel: 'silent' });
  t.teardown(() => mock.close());
  return mock;
}

export async function recorder(t: Tap, upstream: string, out: string): Promise<Recorder> {
  const rec = await startRecorder({ upstream, out, port: 0, version: 'test' });
  t.teardown(() => rec.close());
  return rec;
}

/** The scenarios against `base` as the demo admin on acme-frontend / Acme Group, unthrottled. */
export function runScenarios(base: string, lines: string[] = []): Promise<RunResult> {
  return run({ base, token: TOKENS.admin, org: IDS.frontend, group: IDS.acmeGroup, perMinute: Infinity, log: (l) => lines.push(l) });
}
