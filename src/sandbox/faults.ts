import { pathPattern } from './journal.js';

/** The platforms a fault can imitate; `any` only delays (an error needs one dialect's envelope). */
export type FaultDialect = 'feishu' | 'dingtalk' | 'any';

/** A rule as `PUT /rili/v1/faults` takes it. */
export interface FaultRuleInput {
  readonly dialect?: FaultDialect;
  /** An HTTP method, or `*` (the default). */
  readonly method?: string;
  /** `*` one segment, `**` anything, `:name` a segment; the default matches every path of the dialect. */
  readonly path?: string;
  /** Chance a matching request is hit, 0 to 1 (1). */
  readonly probability?: number;
  /** Seeds this rule's generator, so the same requests are hit on every run; chosen (and shown) when absent. */
  readonly seed?: number;
  /** Most times this rule fires (unlimited when absent). */
  readonly times?: number;
  /** Delay before the answer (the real answer, or the error), milliseconds. */
  readonly latency_ms?: number;
  /** A platform code: a Feishu number (190004) or a DingTalk code string (`system.busy`). */
  readonly error?: number | string;
}

/** A rule as `GET /rili/v1/faults` shows it. */
export interface FaultRuleState {
  readonly index: number;
  readonly dialect: FaultDialect;
  readonly method: string;
  readonly path: string;
  readonly probability: number;
  readonly seed: number;
  readonly times?: number;
  readonly latency_ms: number;
  readonly error?: number | string;
  /** Requests that matched the rule (whether or not the draw hit them). */
  readonly matched: number;
  /** Times the rule fired. */
  readonly fired: number;
}

/** What happens to a request a rule fired on. */
export interface FaultHit {
  readonly index: number;
  readonly dialect: FaultDialect;
  readonly latencyMs: number;
  readonly error?: number | string;
}

/** mulberry32: a small seeded generator; the same seed gives the same draws everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  readonly state: Omit<FaultRuleState, 'matched' | 'fired'>;
  readonly path: RegExp;
  readonly draw: () => number;
  matched: number;
  fired: number;
}

/**
 * The fault rules in force. Rules are tried in order; the first that matches and whose draw hits
 * fires (a matching rule that misses lets the next one try). Per process, like the journal.
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  /**
   * Replaces every rule. `knownError(dialect, error)` says whether the code exists in that dialect;
   * an invalid set throws and the old rules stay.
   */
  replace(inputs: readonly FaultRuleInput[], knownError: (dialect: 'feishu' | 'dingtalk', error: number | string) => boolean, pickSeed: () => number): void {
    const next = inputs.map((input, index): ActiveRule => {
      const dialect = input.dialect ?? 'any';
      if (input.error !== undefined) {
        if (dialect === 'any') throw new Error(`rule ${index}: an error needs a dialect (feishu or dingtalk) to answer in`);
        if (!knownError(dialect, input.error)) throw new Error(`rule ${index}: ${JSON.stringify(input.error)} is not a ${dialect} error code rili knows`);
      }
      if (input.error === undefined && !input.latency_ms) throw new Error(`rule ${index}: give an error, a latency_ms, or both`);
      const seed = input.seed ?? pickSeed();
      const path = input.path ?? '**';
      return {
        state: {
          index, dialect, method: (input.method ?? '*').toUpperCase(), path, probability: input.probability ?? 1, seed,
          ...(input.times === undefined ? {} : { times: input.times }), latency_ms: input.latency_ms ?? 0,
          ...(input.error === undefined ? {} : { error: input.error }),
        },
        path: pathPattern(path),
        draw: seededRandom(seed),
        matched: 0,
        fired: 0,
      };
    });
    this.rules = next;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleState[] {
    return this.rules.map((r) => ({ ...r.state, matched: r.matched, fired: r.fired }));
  }

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** The rule that fires on this request, if any; counts it. */
  hit(dialect: 'feishu' | 'dingtalk', method: string, path: string): FaultHit | undefined {
    for (const rule of this.rules) {
      const s = rule.state;
      if (s.dialect !== 'any' && s.dialect !== dialect) continue;
      if (s.method !== '*' && s.method !== method) continue;
      if (!rule.path.test(path)) continue;
      if (s.times !== undefined && rule.fired >= s.times) continue;
      rule.matched++;
      if (s.probability < 1 && rule.draw() >= s.probability) continue;
      rule.fired++;
      return { index: s.index, dialect: s.dialect === 'any' ? dialect : s.dialect, latencyMs: s.latency_ms, error: s.error };
    }
    return undefined;
  }
}
