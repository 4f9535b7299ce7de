/** The per-call work budget and the interface the expansion engines share. */
import { RecurrenceLimitError } from './errors.js';

/**
 * Internal steps one expansion call may take, when its caller gives it no budget of its own
 * (candidates an engine builds, charged before it builds them) before it gives up with
 * RecurrenceLimitError. Reads share a smaller budget per request (src/core/events/read-budget.ts).
 */
export const MAX_STEPS = 150_000;

/** Counts internal work and throws once the limit is passed, so no rule can make a call spin. */
export class WorkBudget {
  private used = 0;
  constructor(readonly limit: number = MAX_STEPS) {}

  spend(steps: number): void {
    this.used += steps;
    if (this.used > this.limit) {
      throw new RecurrenceLimitError(`expansion needed more than ${this.limit} internal steps`);
    }
  }

  get spent(): number {
    return this.used;
  }
}

/**
 * An expansion engine working in wall-clock seconds (a local date-time counted as if it were UTC).
 * It knows nothing of time zones; the driver maps its output to instants.
 */
export interface WallEngine {
  /** Occurrence wall times in [from, to), ascending, not filtered by UNTIL (the driver does that). */
  range(from: number, to: number, budget: WorkBudget): number[];
  /** For finite engines that know it (COUNT): wall time of the last occurrence, null if none. */
  lastWall?(budget: WorkBudget): number | null;
}
