// Documents written from pre-rendered resources: the text is valid JSON with the members given, a
// record's text is rendered once, and a changed (replaced) record is rendered anew, so a rename is
// seen at once by get and list.
import t from 'tap';
import { documentJson, PageCache, RenderedResources } from '../../src/snyk/json-document.js';
import { buildApp, call, IDS, orgPath, V } from '../helper.js';

t.test('documentJson: data as given, the other members serialised, undefined members left out', async (t) => {
  const text = documentJson('[{"id":"a"}]', { links: { self: '/x?version=1' }, meta: undefined });
  t.same(JSON.parse(text), { jsonapi: { version: '1.0' }, data: [{ id: 'a' }], links: { self: '/x?version=1' } });
  t.notMatch(text, /meta/);
});

t.test('RenderedResources: rendered once per record object, anew for a replacing object', async (t) => {
  let renders = 0;
  const cache = new RenderedResources<{ name: string }>((r) => (renders++, { name: r.name }));
  const first = { name: 'one' };
  t.equal(cache.json(first), '{"name":"one"}');
  t.equal(cache.json(first), '{"name":"one"}');
  t.equal(renders, 1, 'the second call reuses the text');
  t.equal(cache.json({ ...first, name: 'two' }), '{"name":"two"}');
  t.equal(renders, 2);
});

t.test('a rename shows in get and in the list at once', async (t) => {
  const app = await buildApp(t);
  const id = IDS.sa.frontendCi;
  // rendered and kept before the rename
  t.equal((await call(app, { url: `${orgPath(undefined, id)}?version=${V}` })).json().data.attributes.name, 'frontend-ci');
  const listed = async () => (await call(app, { url: `${orgPath()}?version=${V}&limit=100` })).json().data.map((d: { attributes: { name: string } }) => d.attributes.name);
  t.ok((await listed()).includes('frontend-ci'));
  const patch = await call(app, { method: 'PATCH', url: `${orgPath(undefined, id)}?version=${V}`, payload: { data: { type: 'service_account', id, attributes: { name: 'renamed-ci' } } } });
  t.equal(patch.statusCode, 200);
  t.equal((await call(app, { url: `${orgPath(undefined, id)}?version=${V}` })).json().data.attributes.name, 'renamed-ci');
  const names = await listed();
  t.ok(names.includes('renamed-ci'), 'the list shows the new name');
  t.notOk(names.includes('frontend-ci'), 'and not the old one');
});

t.test('PageCache: one render per key and revision, a new revision renders anew, the oldest page goes first', async (t) => {
  const renders: string[] = [];
  const cache = new PageCache(2);
  const page = (revision: number, key: string) => cache.get(revision, key, () => (renders.push(`${revision}:${key}`), `{"k":"${key}","r":${revision}}`)).toString();
  t.equal(page(1, 'a'), '{"k":"a","r":1}');
  t.equal(page(1, 'a'), '{"k":"a","r":1}');
  t.same(renders, ['1:a'], 'kept');
  t.ok(Buffer.isBuffer(cache.get(1, 'a', () => 'never')), 'pages are bytes');
  t.equal(page(2, 'a'), '{"k":"a","r":2}', 'another revision: rendered again');
  page(2, 'b');
  page(2, 'c');
  t.same(renders, ['1:a', '2:a', '2:b', '2:c']);
  page(2, 'c');
  page(2, 'b');
  t.equal(renders.length, 4, 'b and c are kept');
  page(2, 'a');
  t.same(renders.slice(4), ['2:a'], 'a was the oldest and went when c came');
  t.throws(() => cache.get(2, 'bad', () => { throw new Error('400'); }), /400/);
  t.equal(page(2, 'bad'), '{"k":"bad","r":2}', 'a render that threw kept nothing');
});
