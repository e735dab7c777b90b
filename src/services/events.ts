// A small publish/subscribe hub for what the dashboard streams (GET /__admin/events): `change` after
// every durable store write, `request` for each request the journal records, and `control` when a
// test control (clock, faults, rate limit, switches, journal) is changed through /__admin.
// Publishing never throws into the publisher (the store's commit path, the journal's): a failing
// listener is reported and skipped.

import type { JournalEntry } from '../schemas/journal.js';
import type { OverviewPanels } from '../schemas/overview.js';
import type { StoreChange } from '../store/store.js';

/** A durable store write (one group commit) or a whole-state replace (seed, reset): collection names only, never a record or a digest. */
type ChangeEvent = StoreChange;

/**
 * A request-journal entry, as recorded (already redacted: no credential, no secret) but without its
 * body: the page shows none, and GET /__admin/requests has it for whoever needs it.
 */
type RequestEvent = Omit<JournalEntry, 'body' | 'body_truncated'>;

/** A test control changed through /__admin (by the page or anyone else): which one, never its content. */
export interface ControlEvent {
  control: keyof OverviewPanels;
}

export interface EventTypes {
  change: ChangeEvent;
  request: RequestEvent;
  control: ControlEvent;
}
export type EventType = keyof EventTypes;

export type HubEvent = { [K in EventType]: { id: number; type: K; data: EventTypes[K] } }[EventType];
export type Listener = (event: HubEvent) => void;

/** A source of events that costs its publisher something: started on demand, it returns its stop. */
export type Feed = () => () => void;

export class Events {
  private seq = 0;
  private readonly listeners = new Set<Listener>();
  private readonly feeds: Feed[] = [];
  private stops: (() => void)[] = [];

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  publish<K extends EventType>(type: K, data: EventTypes[K]): void {
    if (this.listeners.size === 0) return;
    const event = { id: ++this.seq, type, data } as HubEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  /** Calls `listener` with every event published from now on; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.stops = this.feeds.map((start) => start());
    return () => {
      if (!this.listeners.delete(listener) || this.listeners.size > 0) return;
      for (const stop of this.stops) stop();
      this.stops = [];
    };
  }

  /**
   * Runs `feed` only while somebody listens: started by the first subscriber, stopped when the last
   * one leaves. The journal's feed builds an entry object per request: with no dashboard open, the
   * request path pays nothing for it.
   */
  feed(start: Feed): void {
    this.feeds.push(start);
    if (this.listeners.size > 0) this.stops.push(start());
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

/**
 * One event in Server-Sent Events framing (`id`, `event`, `data`, blank line). The data is JSON on
 * one line: JSON.stringify escapes every line break inside strings, so no `data:` line is split.
 */
export function sseFrame(event: HubEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}
