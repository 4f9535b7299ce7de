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

/**
 * An in-process fan-out: publishers never wait for subscribers, and a failing subscriber is dropped.
 * In a cluster worker it is a `ClusterEventHub` (cluster-sandbox.ts), which also carries what is
 * published to the subscribers of the other workers, whatever the event's type.
 */
export class EventHub {
  private readonly listeners = new Set<StreamListener>();

  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    this.subscribersChanged(this.listeners.size);
    return () => {
      if (this.listeners.delete(listener)) this.subscribersChanged(this.listeners.size);
    };
  }

  /**
   * Subscribes, and resolves once what any process of the cluster publishes reaches `listener` (at
   * once in a single process): a stream opens its answer after this, so nothing done after its head
   * arrived is missed.
   */
  async subscribeEverywhere(listener: StreamListener): Promise<() => void> {
    return this.subscribe(listener);
  }

  /** To every subscriber (in a cluster, every worker's). */
  publish(event: StreamEvent): void {
    this.publishHere(event);
  }

  /** To this process's subscribers only: for an event each process of a cluster produces on its own. */
  publishHere(event: StreamEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        if (this.listeners.delete(listener)) this.subscribersChanged(this.listeners.size);
      }
    }
  }

  /** Subscribers that would receive a publish: this process's (and in a cluster, 1 more when another worker has some). */
  get size(): number {
    return this.listeners.size;
  }

  /** Called when this process's subscribers come or go. */
  protected subscribersChanged(_count: number): void {}
}
