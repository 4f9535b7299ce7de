import type { Clock } from '../core/ports.js';
import { EventHub } from './event-hub.js';
import { FaultInjector } from './faults.js';
import { DEFAULT_JOURNAL_LIMITS, RequestJournal } from './journal.js';
import type { JournalLimits } from './journal.js';
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

/** The sandbox's in-process state: the clock, the journal, the fault rules and the live stream. */
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
  readonly journal: RequestJournal;
  readonly faults: FaultInjector;
}

export function createSandbox(config: SandboxConfig, base: Clock): Sandbox {
  const enabled = config.enabled ?? true;
  const virtualClock = enabled ? new VirtualClock(base) : undefined;
  const hub = new EventHub();
  return {
    enabled,
    adminToken: config.adminToken || undefined,
    clock: virtualClock ?? base,
    virtualClock,
    realClock: base,
    hub,
    journal: new RequestJournal({ ...DEFAULT_JOURNAL_LIMITS, ...config.journal }, hub),
    faults: new FaultInjector(),
  };
}
