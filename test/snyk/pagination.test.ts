import t from 'tap';
import { decodeCursor, encodeCursor, slicePage } from '../../src/snyk/pagination.js';

const items = Array.from({ length: 25 }, (_, i) => ({ created_at: `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`, id: `id-${i}` }));

t.test('cursors round-trip and reject garbage', async (t) => {
  const k = items[3];
  t.same(decodeCursor(encodeCursor(k)), k);
  t.match(encodeCursor(k), /^v1\./);
  t.equal(decodeCursor('v1.!!!'), undefined);
  t.equal(decodeCursor('nope'), undefined);
  t.equal(decodeCursor('v1.' + Buffer.from('[1]').toString('base64url')), undefined);
});

t.test('pages forwards and backwards', async (t) => {
  const p1 = slicePage(items, { limit: 10 });
  t.same(p1.items.map((i) => i.id), items.slice(0, 10).map((i) => i.id));
  t.match(p1, { hasPrev: false, hasNext: true });
  const p3 = slicePage(items, { limit: 10, starting_after: items[19] });
  t.same(p3.items.length, 5);
  t.match(p3, { hasPrev: true, hasNext: false });
  const back = slicePage(items, { limit: 10, ending_before: items[20] });
  t.same(back.items.map((i) => i.id), items.slice(10, 20).map((i) => i.id));
  const start = slicePage(items, { limit: 10, ending_before: items[5] });
  t.same(start.items.map((i) => i.id), items.slice(0, 5).map((i) => i.id));
  t.match(start, { hasPrev: false, hasNext: true });
});
