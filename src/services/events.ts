// A small publish/subscribe hub for what the dashboard streams (GET /__admin/events): `change` after
// every durable store write, and `request` entries from the request journal once there is one.
// Publishing never throws into the publisher (the store's commit path): a failing listener is
// reported and skipped.

import type { StoreChange } from '../store/store.js';

/** A durable store write (one group commit) or a whole-state replace (seed, reset): collection names only, never a record or a digest. */
export type ChangeEvent = StoreChange;

/**
 * A request-journal entry, as the journal publishes it (already redacted: no secret, no digest).
 * Only the dashboard reads these; the fields the page shows are typed, the rest passes through.
 */
export interface RequestEvent {
  id: string | number;
  time: string;
  method: string;
  path: string;
  query?: unknown;
  status: number;
  duration_ms: number;
  principal: { type: string; id: string } | null;
  /** the fault rule that acted on the request, if any */
  fault?: unknown;
  /** the switch that changed the response, if any */
  switch?: unknown;
}

export interface EventTypes {
  change: ChangeEvent;
  request: RequestEvent;
}
export type EventType = keyof EventTypes;

export type HubEvent = { [K in EventType]: { id: number; type: K; data: EventTypes[K] } }[EventType];
export type Listener = (event: HubEvent) => void;

export class Events {
  private seq = 0;
  private readonly listeners = new Set<Listener>();

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
    return () => {
      this.listeners.delete(listener);
    };
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
