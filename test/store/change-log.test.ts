// The change-log format: checksummed lines, torn tails told apart from damage.
import t from 'tap';
import { crc32, encodeLine, encodeTransactions, headerLine, LogFormatError, parseLog } from '../../src/store/change-log.js';

const tx = (id: string) => [{ op: 'put' as const, coll: 'groups' as const, value: { id, name: `group ${id} ✓` } }];
const log = Buffer.concat([headerLine(3), encodeTransactions([tx('a'), [], tx('b')]), encodeLine([{ op: 'del', coll: 'groups', id: 'a' }])]);

t.test('crc32 is the standard one', async (t) => {
  t.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});

t.test('round trip', async (t) => {
  const p = parseLog(log);
  t.equal(p.kind, 'log');
  if (p.kind !== 'log') return;
  t.same(p.header, { snykMockLog: 1, schemaVersion: 2, seq: 3 });
  t.same(p.transactions, [tx('a'), tx('b'), [{ op: 'del', coll: 'groups', id: 'a' }]], 'empty transactions are not written');
  t.equal(p.validBytes, log.length);
  t.equal(p.tornAt, undefined);
});

t.test('every cut inside the last line is a torn tail', async (t) => {
  const last = log.lastIndexOf(0x0a, log.length - 2) + 1;
  for (let cut = last + 1; cut < log.length; cut++) {
    const p = parseLog(log.subarray(0, cut));
    t.equal(p.kind === 'log' && p.transactions.length, 2, `cut at ${cut}`);
    t.equal(p.tornAt, last);
  }
  const zeros = parseLog(Buffer.concat([log, Buffer.alloc(4096)]));
  t.equal(zeros.tornAt, log.length, 'zero-filled tail');
});

t.test('a torn header alone is an empty log', async (t) => {
  t.same(parseLog(headerLine(1).subarray(0, 10)), { kind: 'empty', tornAt: 0 });
  t.same(parseLog(Buffer.alloc(0)), { kind: 'empty', tornAt: undefined });
});

t.test('damage followed by intact lines is not a torn tail', async (t) => {
  const bad = Buffer.from(log);
  bad[headerLine(3).length + 20] ^= 1;
  t.throws(() => parseLog(bad), LogFormatError);
  t.throws(() => parseLog(Buffer.concat([Buffer.from('garbage\n'), log])), { message: /line 1 .*damaged/ });
});

t.test('intact lines that are not what they should be', async (t) => {
  t.throws(() => parseLog(Buffer.concat([encodeLine({ schemaVersion: 1 }), encodeLine([])])), { message: /not a snyk-mock log header/ });
  t.throws(() => parseLog(encodeLine({ snykMockLog: 1, schemaVersion: 3, seq: 0 })), { message: /schemaVersion is 3/ });
  t.throws(() => parseLog(encodeLine({ snykMockLog: 9, schemaVersion: 1, seq: 0 })), { message: /log format is 9/ });
  t.throws(() => parseLog(Buffer.concat([headerLine(0), encodeLine([{ op: 'put', coll: 'nope', value: {} }])])), { message: /unknown collection/ });
  t.throws(() => parseLog(Buffer.concat([headerLine(0), encodeLine([{ op: 'put', coll: 'service_accounts', value: { id: 'x' } }])])), {
    message: /service_accounts record/,
  });
  t.throws(() => parseLog(Buffer.concat([headerLine(0), encodeLine({ not: 'a list' })])), { message: /not a list of changes/ });
});

t.test('a log of an older schemaVersion: refused unless an upgrade is given, then upgraded before the checks', async (t) => {
  const v1 = Buffer.concat([
    encodeLine({ snykMockLog: 1, schemaVersion: 1, seq: 0 }),
    encodeLine([{ op: 'put', coll: 'orgs', value: { id: 'o', name: 'Old Org' } }]),
  ]);
  t.throws(() => parseLog(v1), { message: /schemaVersion is 1, and this snyk-mock reads schemaVersion 2 only/ });
  const seen: number[] = [];
  const p = parseLog(v1, {
    upgrade: (tx, from) => {
      seen.push(from);
      return tx.map((c) => ({
        ...(c as object),
        value: { id: 'o', name: 'Old Org', slug: 'old-org', is_personal: true, access_requests_enabled: false, created_at: 'x', updated_at: 'x' },
      }));
    },
  });
  t.same(seen, [1]);
  t.equal(p.kind === 'log' && p.header.schemaVersion, 1);
  t.match(p.kind === 'log' && p.transactions[0][0], { value: { slug: 'old-org' } });
  // an upgrade that leaves a record invalid is still refused by the record check
  t.throws(() => parseLog(v1, { upgrade: (tx) => tx }), { message: /orgs record/ });
});
