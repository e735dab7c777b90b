// Documents written from pre-rendered resources: the text is valid JSON with the members given, a
// record's text is rendered once, and a changed (replaced) record is rendered anew, so a rename is
// seen at once by get and list; a kept GET document is the one of the version asked for.
import t from 'tap';
import { documentBytes, KeptDocuments, PageCache, RenderedResources } from '../../src/snyk/json-document.js';
import { buildApp, call, IDS, orgPath, V } from '../helper.js';

t.test('documentBytes: data as given, the other members serialised, undefined members left out', async (t) => {
  const one = documentBytes(Buffer.from('{"id":"a"}'), { links: { self: '/x?version=1' }, meta: undefined });
  t.ok(Buffer.isBuffer(one));
  t.same(JSON.parse(one.toString()), { jsonapi: { version: '1.0' }, data: { id: 'a' }, links: { self: '/x?version=1' } });
  t.notMatch(one.toString(), /meta/);
  const many = documentBytes([Buffer.from('{"id":"a"}'), Buffer.from('{"id":"é"}'), Buffer.from('{"id":"c"}')], { links: { self: '/x' }, meta: { n: 'ü' } });
  t.equal(
    many.toString(),
    '{"jsonapi":{"version":"1.0"},"data":[{"id":"a"},{"id":"é"},{"id":"c"}],"links":{"self":"/x"},"meta":{"n":"ü"}}',
    'exact bytes, multi-byte characters included',
  );
  t.equal(many.length, Buffer.byteLength(many.toString()), 'no byte left over');
  t.same(JSON.parse(documentBytes([], { links: { self: '/x' } }).toString()).data, [], 'an empty page');
  // documents are kept (KeptDocuments, PageCache): each a small one here, far under the pool's size
  for (const doc of [one, many]) t.equal(doc.buffer.byteLength, doc.length, 'memory of its own, not a slice of a shared pool');
});

t.test('RenderedResources: rendered once per record object, anew for a replacing object', async (t) => {
  let renders = 0;
  const cache = new RenderedResources<{ name: string }>((r) => (renders++, { name: r.name }));
  const first = { name: 'one' };
  t.equal(cache.bytes(first).toString(), '{"name":"one"}');
  t.equal(cache.bytes(first), cache.bytes(first), 'the same bytes again');
  t.equal(renders, 1, 'the second call reuses them');
  t.equal(cache.bytes({ ...first, name: 'twö' }).toString(), '{"name":"twö"}');
  t.equal(renders, 2);
  t.equal(cache.bytes(first).buffer.byteLength, cache.bytes(first).length, 'memory of its own, not a slice of a shared pool');
});

t.test('KeptDocuments: kept per record object for the last key, rendered anew for another key or a replacing object', async (t) => {
  const renders: string[] = [];
  const docs = new KeptDocuments<{ name: string }>();
  const doc = (record: { name: string }, key: string) =>
    docs.get(record, key, () => (renders.push(`${record.name}@${key}`), Buffer.from(`${record.name}@${key}`))).toString();
  const first = { name: 'one' };
  t.equal(doc(first, 'v1'), 'one@v1');
  t.equal(doc(first, 'v1'), 'one@v1');
  t.same(renders, ['one@v1'], 'the same record and key: kept');
  t.equal(doc(first, 'v2'), 'one@v2', 'another key: rendered for it');
  t.equal(doc(first, 'v1'), 'one@v1', 'and back');
  t.equal(doc({ ...first, name: 'two' }, 'v1'), 'two@v1', 'a replacing object: rendered anew');
  t.same(renders, ['one@v1', 'one@v2', 'one@v1', 'two@v1']);
});

t.test('GET one account: the self link names the version of each request, also when the document was kept', async (t) => {
  const app = await buildApp(t);
  const url = `${orgPath(undefined, IDS.sa.frontendCi)}?version=`;
  const self = async (version: string) => (await call(app, { url: url + version })).json().links.self as string;
  for (const version of [V, '2024-05-23', V, '2025-06-01', V]) t.equal(await self(version), url.replace('/rest', '') + encodeURIComponent(version), version);
});

t.test('a rename shows in get and in the list at once', async (t) => {
  const app = await buildApp(t);
  const id = IDS.sa.frontendCi;
  // rendered and kept before the rename
  t.equal((await call(app, { url: `${orgPath(undefined, id)}?version=${V}` })).json().data.attributes.name, 'frontend-ci');
  const listed = async () =>
    (await call(app, { url: `${orgPath()}?version=${V}&limit=100` })).json().data.map((d: { attributes: { name: string } }) => d.attributes.name);
  t.ok((await listed()).includes('frontend-ci'));
  const patch = await call(app, {
    method: 'PATCH',
    url: `${orgPath(undefined, id)}?version=${V}`,
    payload: { data: { type: 'service_account', id, attributes: { name: 'renamed-ci' } } },
  });
  t.equal(patch.statusCode, 200);
  t.equal((await call(app, { url: `${orgPath(undefined, id)}?version=${V}` })).json().data.attributes.name, 'renamed-ci');
  const names = await listed();
  t.ok(names.includes('renamed-ci'), 'the list shows the new name');
  t.notOk(names.includes('frontend-ci'), 'and not the old one');
});

t.test('PageCache: one render per key and revision, a new revision renders anew, the oldest page goes first', async (t) => {
  const renders: string[] = [];
  const cache = new PageCache(2);
  const page = (revision: number, key: string) =>
    cache.get(revision, key, () => (renders.push(`${revision}:${key}`), Buffer.from(`{"k":"${key}","r":${revision}}`))).toString();
  t.equal(page(1, 'a'), '{"k":"a","r":1}');
  t.equal(page(1, 'a'), '{"k":"a","r":1}');
  t.same(renders, ['1:a'], 'kept');
  t.equal(page(2, 'a'), '{"k":"a","r":2}', 'another revision: rendered again');
  page(2, 'b');
  page(2, 'c');
  t.same(renders, ['1:a', '2:a', '2:b', '2:c']);
  page(2, 'c');
  page(2, 'b');
  t.equal(renders.length, 4, 'b and c are kept');
  page(2, 'a');
  t.same(renders.slice(4), ['2:a'], 'a was the oldest and went when c came');
  t.throws(
    () =>
      cache.get(2, 'bad', () => {
        throw new Error('400');
      }),
    /400/,
  );
  t.equal(page(2, 'bad'), '{"k":"bad","r":2}', 'a render that threw kept nothing');
});
