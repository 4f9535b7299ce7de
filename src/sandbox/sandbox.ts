import cluster from 'node:cluster';
import type { Clock } from '../core/ports.js';
import { ClusterEventHub, TimeSequence, clusterShared, primaryChannel } from './cluster-sandbox.js';
import { EventHub } from './event-hub.js';
import { FaultInjector } from './faults.js';
import { DEFAULT_JOURNAL_LIMITS, RequestJournal } from './journal.js';
import type { JournalLimits } from './journal.js';
import { localShared } from './shared.js';
import type { SharedSandbox } from './shared.js';
import { VirtualClock } from './virtual-clock.js';

/** How the sandbox is set up (`rili serve --sandbox`, `--admin-token`, `--journal-*`). */
export interface SandboxConfig {
  /**
   * On (the default): the virtual clock, fault injection and minting user tokens are available.
   * Off: rili as a real calendar backend; the clock is the base clock and those endpoints refuse.
   */
  readonly enabled?: boolean;
  /** When set, every /rili/ request needs `Authorization: Bearer <it>`, from any address; when not, loopback only. */
  readonly adminToken?: string;
  readonly journal?: Partial<JournalLimits>;
}

/**
 * The sandbox: the clock, the journal, the fault rules and the live stream. In one process all of it
 * is here; in a cluster worker (`--workers N`) `shared` reaches the cluster's through the primary,
 * `virtualClock` follows the primary's, `journal` holds this worker's requests and `hub` carries every
 * worker's events to this worker's subscribers.
 */
export interface Sandbox {
  readonly enabled: boolean;
  readonly adminToken?: string;
  /** The clock every service reads: the virtual clock when enabled. */
  readonly clock: Clock;
  /** Undefined when the sandbox is off. */
  readonly virtualClock?: VirtualClock;
  /** The clock underneath, never moved: rate-limit windows and latencies are real time. */
  readonly realClock: Clock;
  readonly hub: EventHub;
  /** This process's requests. */
  readonly journal: RequestJournal;
  /** This process's rules (none in a cluster worker: the primary holds them). */
  readonly faults: FaultInjector;
  /** What the admin API reads and changes: this process's state, or the cluster's. */
  readonly shared: SharedSandbox;
  /** Resolves once the state is known (at once in one process; a worker asks its primary). */
  readonly ready: Promise<void>;
}

/** With `link` (a cluster worker's channel to its primary, by default in a worker) the state is the cluster's. */
export function createSandbox(config: SandboxConfig, base: Clock, link = cluster.isWorker && process.send ? primaryChannel() : undefined): Sandbox {
  const enabled = config.enabled ?? true;
  const virtualClock = enabled ? new VirtualClock(base) : undefined;
  const limits = { ...DEFAULT_JOURNAL_LIMITS, ...config.journal };
  const faults = new FaultInjector();
  const common = { enabled, adminToken: config.adminToken || undefined, clock: virtualClock ?? base, virtualClock, realClock: base, faults };
  if (!link) {
    const hub = new EventHub();
    const journal = new RequestJournal(limits, hub);
    return { ...common, hub, journal, shared: localShared({ virtualClock, faults, journal }), ready: Promise.resolve() };
  }
  const channel = link;
  const hub = new ClusterEventHub(channel);
  const sequence = new TimeSequence();
  const journal = new RequestJournal(limits, hub, () => sequence.next());
  const { shared, ready } = clusterShared({ channel, virtualClock, journal, sequence, hub });
  return { ...common, hub, journal, shared, ready };
}
