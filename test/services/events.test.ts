// The event hub: every subscriber gets each event with a rising id; a throwing listener is reported
// and does not stop the others (publish runs inside the store's commit); SSE frames stay one event
// each, whatever the data holds.
import t from 'tap';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { Events, sseFrame, type HubEvent } from '../../src/services/events.js';

const change = { kind: 'commit' as const, collections: ['groups' as const] };

t.test('publish and subscribe', async (t) => {
  const errors: unknown[] = [];
  const events = new Events((err) => errors.push(err));
  events.publish('change', change); // nobody listens: nothing to do
  const a: HubEvent[] = [];
  const b: HubEvent[] = [];
  const offA = events.subscribe((e) => a.push(e));
  events.subscribe(() => {
    throw new Error('listener bug');
  });
  events.subscribe((e) => b.push(e));
  t.equal(events.subscribers, 3);
  events.publish('change', change);
  events.publish('change', change);
  t.same(
    a.map((e) => e.id),
    [1, 2],
  );
  t.same(b, a, 'the listener after a throwing one still gets every event');
  t.equal(errors.length, 2);
  t.match(errors[0], { message: 'listener bug' });
  offA();
  events.publish('change', change);
  t.equal(a.length, 2, 'unsubscribed');
  t.equal(b.length, 3);
});

t.test('an SSE frame is one event, as a standard parser reads it', async (t) => {
  const tricky = {
    id: 7,
    type: 'request',
    data: { id: 'x', time: 't', method: 'GET', path: '/a\nb\r\ndata: forged\n\nevent: change', status: 200, duration_ms: 1, principal: null },
  } as HubEvent;
  const frame = sseFrame(tricky);
  t.equal(frame.split('\n\n').length, 2, 'one blank line: the end of the frame');
  const seen: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (m) => seen.push(m) });
  parser.feed(frame + sseFrame({ id: 8, type: 'change', data: change }));
  t.same(
    seen.map((m) => [m.id, m.event]),
    [
      ['7', 'request'],
      ['8', 'change'],
    ],
  );
  t.same(JSON.parse(seen[0].data), tricky.data, 'line breaks in the data survive, escaped');
});
