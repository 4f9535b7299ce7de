import { SandboxChannel } from './cluster-channel.js';
import { EventHub } from './event-hub.js';
import type { StreamEvent, StreamListener } from './event-hub.js';
import { FaultInjector } from './faults.js';
import type { FaultHit, FaultRuleInput, FaultRuleState } from './faults.js';
import { entryMatcher } from './journal.js';
import type { JournalEntry, JournalFilter, RequestJournal } from './journal.js';
import { inputsOf } from './shared.js';
import type { JournalPage, SharedSandbox } from './shared.js';
import type { ClockSetting, VirtualClock } from './virtual-clock.js';

/**
 * The sandbox across a cluster (`rili serve --workers N`), worker side. The primary
 * (primary-sandbox.ts) holds the clock and the fault rules and relays between workers; each worker
 * keeps its own journal, which the primary gathers. Nothing crosses the IPC channel per request
 * unless a fault rule is set (the primary decides, so `times`, counters and seeded draws are global)
 * or a stream subscriber exists on another worker (what this worker's hub publishes is relayed to it).
 */

/** What a worker learns when it joins (`hello`): the cluster's state at that moment. */
export interface Welcome {
  /** The instant (ms, wall clock) journal seqs count from: microseconds since then. */
  readonly epochMs: number;
  readonly clock: ClockSetting;
  readonly faultsActive: boolean;
  /** Whether another worker has stream subscribers. */
  readonly forward: boolean;
}

/** Asks the primary for the journal of every worker: matching, at most `limit` of the newest each, up to `until`. */
export interface JournalQuery {
  readonly filter: JournalFilter;
  readonly limit?: number;
  /** Only entries with seq at most this; the worker numbers every later entry above it. Absent: all. */
  readonly until?: number;
}

/** Microseconds since `epochMs` on the wall clock, which every process of the machine shares. */
export const microsSince = (epochMs: number) => (): number => Math.floor((performance.timeOrigin + performance.now() - epochMs) * 1000);

/**
 * Journal seqs in a cluster: the time the entry was recorded, in microseconds since the primary
 * started, and always above the last one this worker gave. Unique and increasing across workers (up
 * to the same microsecond on two of them, which the order of concurrent requests cannot tell apart
 * anyway), so `after=<seq>` on the gathered journal misses nothing: when the primary gathers it
 * reads up to the latest seq any worker has reached, and each worker numbers its later entries above it.
 */
export class TimeSequence {
  private last = 0;
  now: () => number = () => 0;

  next(): number {
    this.last = Math.max(this.last + 1, this.now());
    return this.last;
  }

  /** The seq an entry recorded now would get at least: every earlier one is at most this. */
  current(): number {
    return Math.max(this.last, this.now());
  }

  /** Every later seq will be above `seq`. */
  reserve(seq: number): void {
    this.last = Math.max(this.last, seq);
  }
}

/**
 * The live stream's hub in a cluster worker: besides its own subscribers, whatever it publishes goes
 * to the primary while another worker has subscribers (the primary says so), and what other workers
 * publish arrives here while this worker has some. The event's type does not matter.
 */
export class ClusterEventHub extends EventHub {
  /** Another worker has subscribers: what is published here is relayed to them. */
  forward = false;
  private listening = false;
  private joined: Promise<unknown> = Promise.resolve();

  constructor(private readonly channel: SandboxChannel) {
    super();
    channel.on('event', (event: StreamEvent) => this.publishHere(event));
    channel.on('forward', (on: boolean) => {
      this.forward = on;
      return true;
    });
  }

  override publish(event: StreamEvent): void {
    this.publishHere(event);
    if (this.forward) this.channel.tell('event', event);
  }

  override async subscribeEverywhere(listener: StreamListener): Promise<() => void> {
    const unsubscribe = this.subscribe(listener);
    await this.joined;
    return unsubscribe;
  }

  override get size(): number {
    return super.size + (this.forward ? 1 : 0);
  }

  protected override subscribersChanged(count: number): void {
    if (count > 0 && !this.listening) {
      this.listening = true;
      // Resolves once every other worker forwards to this one.
      this.joined = this.channel.call('listening', true);
    } else if (count === 0 && this.listening) {
      this.listening = false;
      this.channel.tell('listening', false);
    }
  }
}

/** The channel to the primary, over this worker's IPC. */
export const primaryChannel = (): SandboxChannel =>
  new SandboxChannel((message) => process.send!(message, undefined, {}, () => {}), (receive) => process.on('message', receive));

/**
 * A worker's view of the cluster's sandbox. `ready` resolves once the worker has the cluster's clock,
 * fault state and stream state (the server awaits it before it listens).
 */
export function clusterShared(parts: {
  channel: SandboxChannel; virtualClock?: VirtualClock; journal: RequestJournal; sequence: TimeSequence; hub: ClusterEventHub;
}): { shared: SharedSandbox; ready: Promise<void> } {
  const { channel, virtualClock, journal, sequence, hub } = parts;
  let faultsActive = false;
  channel.on('clock', (setting: ClockSetting) => {
    virtualClock?.adopt(setting);
    return true;
  });
  channel.on('faults-active', (active: boolean) => {
    faultsActive = active;
    return true;
  });
  channel.on('journal-list', (query: JournalQuery): JournalPage => {
    let requests: JournalEntry[] = journal.list(query.filter);
    if (query.until !== undefined) {
      const until = query.until;
      sequence.reserve(until);
      requests = requests.filter((e) => e.seq <= until);
    }
    if (query.limit !== undefined && requests.length > query.limit) requests = requests.slice(requests.length - query.limit);
    return { requests, kept: journal.size, keptBytes: journal.totalBytes };
  });
  channel.on('journal-clear', () => journal.clear());
  channel.on('journal-seq', () => sequence.current());

  const ready = channel.call<Welcome>('hello').then((welcome) => {
    sequence.now = microsSince(welcome.epochMs);
    virtualClock?.adopt(welcome.clock);
    faultsActive = welcome.faultsActive;
    hub.forward = welcome.forward;
  });

  const shared: SharedSandbox = {
    async changeClock(change) {
      await channel.call('clock', change);
    },
    get faultsActive() {
      return faultsActive;
    },
    async faultHit(dialect, method, path) {
      return (await channel.call<FaultHit | null>('fault-hit', { dialect, method, path })) ?? undefined;
    },
    async replaceFaults(inputs, knownError, pickSeed) {
      // Checked here (the error tables live in the api layer), with the seeds drawn; the primary takes them as they are.
      const checked = new FaultInjector();
      checked.replace(inputs, knownError, pickSeed);
      return channel.call<FaultRuleState[]>('faults-replace', inputsOf(checked.list()) satisfies FaultRuleInput[]);
    },
    listFaults: () => channel.call<FaultRuleState[]>('faults-list'),
    clearFaults: () => channel.call<number>('faults-clear'),
    async listRequests(filter, limit, options) {
      entryMatcher(filter);
      return channel.call<JournalPage>('requests', { filter, limit, whole: options?.whole ?? false });
    },
    clearRequests: () => channel.call<number>('requests-clear'),
  };
  return { shared, ready };
}
