// The data file read record by record: always JSON.parse's object (key order included) or
// undefined (then the caller parses the text whole), whatever the text and wherever the chunks cut it.
import t from 'tap';
import fc from 'fast-check';
import { readDocument } from '../../src/store/read-document.js';

/** `text` as chunks of `size` bytes (the last one shorter). */
async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

const read = (text: string | Buffer, size = 7, onElement?: (member: string, element: unknown) => void) => readDocument(chunked(text, size), onElement);

/** JSON.stringify compares key order too, which t.same does not. */
async function sameAsJsonParse(t: Checks, text: string, size: number) {
  const got = await read(text, size);
  t.ok(got, `read at chunk size ${size}`);
  t.equal(JSON.stringify(got?.value), JSON.stringify(JSON.parse(text)), `the same object at chunk size ${size}`);
  t.equal(got?.chars, text.length, 'its length in characters');
}
/** the checks sameAsJsonParse makes (a subtest's) */
type Checks = Pick<typeof t, 'ok' | 'equal'>;

const doc = {
  schemaVersion: 2,
  logSeq: 7,
  groups: [{ id: 'g', name: 'Ünïcödé ✓ 𝄞 "quoted" \\ back\\slash }],{[', tenant_id: 't' }],
  orgs: [],
  service_accounts: [
    { id: 'a', name: 'a,b]c}', jwks: { keys: [{ kty: 'RSA', n: '[{' }] } },
    { id: 'b', name: '\\', created_at: '2024-01-01T00:00:00.000Z' },
  ],
  nested: { deep: [1, [2, { three: '3' }]], empty: {} },
  scalar: 'text, with } and ]',
  numbers: [1, -2.5e3, 0, true, false, null, 'x'],
};

t.test('the same object as JSON.parse, cut into chunks of every size', async (t) => {
  for (const text of [
    JSON.stringify(doc),
    JSON.stringify(doc, null, 2),
    JSON.stringify(doc, null, '\t').replace(/\n/g, '\r\n'),
    '{}',
    ' { } ',
    '{"a":[]}',
    '{"a":[ ]}',
  ]) {
    for (const size of [1, 2, 3, 5, 64, 1 << 20]) await sameAsJsonParse(t, text, size);
  }
});

t.test('a repeated key: the last value, in the first key place (as JSON.parse)', async (t) => {
  await sameAsJsonParse(t, '{"a":[1],"b":2,"a":[3,4]}', 3);
  await sameAsJsonParse(t, '{"a":1,"b":2,"a":[3]}', 3);
});

t.test('long arrays are parsed a run at a time, every element kept in order', async (t) => {
  const records = Array.from({ length: 5000 }, (_, i) => ({ id: `id-${i}`, name: `name ${i}, "${'x'.repeat(i % 50)}"` }));
  await sameAsJsonParse(t, JSON.stringify({ service_accounts: records, after: [records[0]] }), 4096);
});

t.test('each element is seen as soon as it is parsed, before the rest of the file is read', async (t) => {
  const records = Array.from({ length: 20000 }, (_, i) => ({ id: `id-${i}` }));
  const text = JSON.stringify({ schemaVersion: 2, service_accounts: records, credentials: [{ id: 'c' }] });
  let pulled = 0;
  async function* counting() {
    for await (const c of chunked(text, 1024)) {
      pulled++;
      yield c;
    }
  }
  const seen: [string, unknown, number][] = [];
  const got = await readDocument(counting(), (member, element) => seen.push([member, element, pulled]));
  t.equal(seen.length, 20001);
  t.same(seen[0].slice(0, 2), ['service_accounts', { id: 'id-0' }]);
  t.same(seen[20000].slice(0, 2), ['credentials', { id: 'c' }]);
  t.ok(seen[0][2] < pulled / 2, 'the first record is handed over while most of the file is still unread');
  t.equal((got?.value.service_accounts as unknown[] | undefined)?.length, 20000);
});

t.test('JSON that is not an object is undefined (the caller then finds it is not an object)', async (t) => {
  for (const text of ['[]', 'null', '"text"', '1', ' [{"a":1}] ']) t.equal(await read(text), undefined, text);
});

t.test('anything JSON.parse refuses is undefined (the caller then reports JSON.parse error)', async (t) => {
  const text = JSON.stringify(doc);
  const bad = [
    '',
    '   ',
    '\ufeff{}',
    '{',
    '{"a"',
    '{"a":',
    '{"a":[',
    '{"a":[1',
    '{"a":[1,',
    '{"a":[1,]}',
    '{"a":[,1]}',
    '{"a":[1,,2]}',
    '{"a":[1 2]}',
    '{"a":[1]',
    '{"a":[1]}}',
    '{"a":[1]} x',
    '{"a":[1]}{}',
    '{"a":1,}',
    '{"a" 1}',
    '{a:1}',
    '{"a":}',
    '{"a":[1}',
    '{"a":[{]}',
    '{"a":[{"b":1]]}',
    '{"a":tru}',
    '{"a":"\\x"}',
    '{"a":"unterminated}',
    '{"a\\q":1}',
    '{"a":[1]\u00a0}',
    text.slice(0, text.length / 2),
    text.slice(0, -1),
  ];
  for (const b of bad) {
    t.throws(() => JSON.parse(b), `JSON.parse refuses ${JSON.stringify(b)}`);
    for (const size of [1, 4, 1 << 20]) t.equal(await read(b, size), undefined, `undefined for ${JSON.stringify(b)} at chunk size ${size}`);
  }
});

t.test('"__proto__" as a key is left to JSON.parse (it would make it an own member)', async (t) => {
  t.equal(await read('{"__proto__":[1]}'), undefined);
  t.equal(await read('{"\\u005f_proto__":1}'), undefined);
});

t.test('invalid UTF-8 decodes as readFile(…, "utf8") does, wherever the chunks cut it', async (t) => {
  const text = Buffer.concat([Buffer.from('{"a":["x'), Buffer.from([0xff, 0xe2, 0x9c]), Buffer.from('",1],"b":"'), Buffer.from([0xc3]), Buffer.from('"}')]);
  for (const size of [1, 2, 3, 1 << 20]) {
    const got = await read(text, size);
    t.equal(JSON.stringify(got?.value), JSON.stringify(JSON.parse(text.toString('utf8'))));
    t.equal(got?.chars, text.toString('utf8').length);
  }
});

t.test('a failing read is thrown, not taken for a bad file', async (t) => {
  async function* failing() {
    yield Buffer.from('{"a":[1,');
    throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
  }
  await t.rejects(readDocument(failing()), { code: 'EIO' });
});

t.test('property: any JSON text, any damage, any chunking: JSON.parse object or undefined', async (t) => {
  const member = fc.oneof(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }));
  const docs = fc.oneof(fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), member, { maxKeys: 6 }), fc.jsonValue({ maxDepth: 3 }));
  const texts = fc.tuple(docs, fc.constantFrom(undefined, 1, '\t')).map(([d, indent]) => JSON.stringify(d, null, indent));
  const damaged = fc.oneof(
    texts,
    fc.tuple(texts, fc.nat(), fc.nat()).map(([s, cut, len]) => s.slice(0, cut % (s.length + 1)) + s.slice((cut % (s.length + 1)) + (len % 3))),
    fc
      .tuple(texts, fc.nat(), fc.constantFrom(',', ']', '}', '[', '{', '"', '\\', ':', ' ', 'x'))
      .map(([s, at, c]) => s.slice(0, at % (s.length + 1)) + c + s.slice(at % (s.length + 1))),
  );
  await fc.assert(
    fc.asyncProperty(damaged, fc.integer({ min: 1, max: 40 }), async (generated, size) => {
      // a file holds bytes: what readFile(…, 'utf8') gives back is the text to compare with (lone surrogates become U+FFFD)
      const text = Buffer.from(generated, 'utf8').toString('utf8');
      let expected: unknown;
      let valid = true;
      try {
        expected = JSON.parse(text);
      } catch {
        valid = false;
      }
      const got = await read(text, size);
      if (got === undefined) {
        // only JSON that is not an object of members may be left to the whole-text parse
        const object = valid && expected !== null && typeof expected === 'object' && !Array.isArray(expected);
        return !object || Object.hasOwn(expected as object, '__proto__');
      }
      return valid && JSON.stringify(got.value) === JSON.stringify(expected) && got.chars === text.length;
    }),
    { numRuns: 3000 },
  );
  t.pass('no counterexample');
});
