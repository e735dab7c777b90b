import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upstreamMock, recorder, runScenarios } from './support.js';
import { compare, formatReport } from '../../src/parity/compare.js';
import { readTranscript } from '../../src/parity/transcript.js';

t.test('scratch', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'parity-'));
  const up = await upstreamMock(t);
  const out = join(dir, 't.json');
  const rec = await recorder(t, up.url, out);
  const lines: string[] = [];
  const r = await runScenarios(rec.url, lines);
  console.log(lines.join('\n'));
  console.log(r);
  const tr = readTranscript(out);
  const c = await compare(tr);
  console.log(formatReport(c));
  console.log(out);
  t.pass();
});
