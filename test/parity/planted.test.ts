// A planted difference: the test's own proxy between the recorder and the upstream mock drops one
// `location`, turns one 409 into a 400, renames one error `code` and reorders one list. Compared
// against a fresh mock, the report holds exactly those four differences.
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, formatReport } from '../../src/parity/compare.js';
import { readTranscript } from '../../src/parity/transcript.js';
import { recorder, runScenarios, upstreamMock } from './support.js';
import { startTamper, type Raw } from './tamper.js';

const counts = new Map<string, number>();
/** true for the n-th (1-based) exchange that `key` names */
const nth = (key: string, n: number) => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts.get(key) === n;
};

function plant(x: Raw) {
  const listOfOrg = /^\/rest\/orgs\/[^/]+\/service_accounts$/.test(x.path);
  if (x.method === 'POST' && listOfOrg && x.status === 201 && nth('create', 1)) delete x.headers.location;
  else if (x.status === 409 && nth('409', 1)) x.status = 400;
  else if (x.status === 401 && x.path.startsWith('/rest/') && nth('401', 1)) {
    const body = JSON.parse(x.body);
    body.errors[0].code = 'SNYK-0000';
    x.body = JSON.stringify(body);
  } else if (x.method === 'GET' && listOfOrg && x.status === 200 && x.query === 'version=2024-10-15' && nth('list', 1)) {
    const body = JSON.parse(x.body);
    body.data.reverse();
    x.body = JSON.stringify(body);
  }
}

// on a busy two-core machine the recordings and replays take tens of seconds
t.setTimeout(120_000);
t.test('compare reports the four planted differences, and nothing else', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'parity-planted-')), 'planted.json');
  const upstream = await upstreamMock(t);
  const tamper = await startTamper(t, upstream.url, plant);
  const rec = await recorder(t, tamper.url, out);
  const run = await runScenarios(rec.url);
  t.same(run.left, [], 'the run deleted what it created');

  const result = await compare(readTranscript(out));
  t.comment(formatReport(result));
  t.equal(result.differences.length, 4, 'exactly four differences');
  const byWhere = Object.fromEntries(result.differences.map((d) => [d.where, d]));
  t.match(byWhere['header location'], { method: 'POST', what: /^absent upstream, present in the mock/ }, 'the dropped location');
  t.match(byWhere.status, { method: 'POST', what: 'upstream 400, mock 409' }, 'the 409 turned 400');
  t.match(byWhere['$.errors[0].code'], { method: 'GET', what: 'value: upstream "SNYK-0000", mock "SNYK-0005"' }, 'the renamed code');
  t.match(byWhere['$.data'], { method: 'GET', what: /^order: / }, 'the reordered list');
});
