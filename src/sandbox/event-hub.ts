/**
 * What the live stream (`GET /rili/v1/stream`, Server-Sent Events) carries. `request` is the journal;
 * further types (`change` from the change log, `delivery` from push) are published the same way by
 * whoever produces them, and a subscriber picks the types it wants.
 */
export type StreamEventType = 'request' | 'change' | 'delivery';

export const STREAM_EVENT_TYPES: readonly StreamEventType[] = ['request', 'change', 'delivery'];

export interface StreamEvent {
  readonly type: StreamEventType;
  /** Unique within its type, increasing: the SSE `id` is `<type>-<id>`. */
  readonly id: number;
  readonly data: unknown;
}

export type StreamListener = (event: StreamEvent) => void;

/** An in-process fan-out: publishers never wait for subscribers, and a failing subscriber is dropped. */
export class EventHub {
  private readonly listeners = new Set<StreamListener>();

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: StreamEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
