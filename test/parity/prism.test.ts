// A very different upstream: Prism in mock mode on the official spec. The scenarios run through the
// recorder to it, and compare reports many differences, without crashing or hanging.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, formatReport } from '../../src/parity/compare.js';
import { run } from '../../src/parity/runner.js';
import { readTranscript } from '../../src/parity/transcript.js';
import { IDS, TOKENS } from '../helper.js';
import { startPrismMock } from './prism-mock.js';
import { recorder } from './support.js';
import { startTamper } from './tamper.js';

// Prism's start and its answers are slow on a busy machine
t.setTimeout(180_000);

t.test('Prism as upstream: many differences, a report, an end', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'parity-prism-')), 'prism.json');
  const prism = await startPrismMock(t);
  // Prism serves the spec's paths without the server's /rest
  const strip = await startTamper(t, prism, undefined, (url) => url.replace(/^\/rest\//, '/'));
  const rec = await recorder(t, strip.url, out);
  const lines: string[] = [];
  const r = await run({
    base: rec.url,
    token: TOKENS.admin,
    org: IDS.frontend,
    group: IDS.acmeGroup,
    orgRole: IDS.roles.orgAdmin,
    groupRole: IDS.roles.groupAdmin,
    perMinute: Infinity,
    log: (l) => lines.push(l),
  });
  t.ok(r.sent > 50, `the run went through (${r.sent} requests, ${r.skipped} steps skipped)`);
  const transcript = readTranscript(out);
  t.match(transcript.meta, { made_here: true, mock_version: null });

  const result = await compare(transcript);
  const report = formatReport(result);
  t.comment(report.split('\n').slice(0, 15).join('\n'));
  t.ok(result.differences.length > 50, `${result.differences.length} differences`);
  t.ok(
    result.differences.some((d) => d.where === 'status'),
    'status differences among them',
  );
  t.ok(
    result.differences.some((d) => d.where.startsWith('header ')),
    'header differences among them',
  );
  t.ok(
    result.differences.some((d) => d.where.startsWith('$')),
    'body differences among them',
  );
  t.equal(report.split('\n').length, result.differences.length + result.skipped.length + result.notes.length + 1, 'one line per difference, and a summary');
});
