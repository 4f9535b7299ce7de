/**
 * The work one read may do, shared by every series it expands, and what the read could not
 * expand within it. Numbers and the tests that show them: RELIABILITY.md, "Read budgets".
 */
import { WorkBudget } from '../recurrence/index.js';
import type { CalendarEvent } from './types.js';

/**
 * Expansion steps (candidate occurrences an engine builds, plus a little per series) one request
 * may spend across all the series it reads. Measured at 1-15 µs a step on a loaded 2-core VM, so
 * about 0.05-0.45 s of expansion at most per request.
 */
export const READ_STEPS = 20_000;
/**
 * Steps a series may need for two years of its occurrences (or its whole COUNT) to be accepted at
 * write time: about 20 occurrences a day. So one series always fits a request's budget.
 */
export const SERIES_STEPS = 15_000;
/** The stretch of a series the write-time check expands. */
export const SERIES_CHECK_SECONDS = 2 * 366 * 86_400;

/** A series a read could not expand to the end of its window: its occurrences from `from` on are unknown. */
export interface CutSeries {
  readonly master: CalendarEvent;
  readonly from: number;
}

/** One request's expansion budget. */
export class ReadBudget {
  readonly work: WorkBudget;
  /** Series cut short by the budget, in the order met. */
  readonly cut: CutSeries[] = [];
  constructor(steps: number = READ_STEPS) {
    this.work = new WorkBudget(steps);
  }

  /** True once a series could not be expanded in full. */
  get exhausted(): boolean {
    return this.cut.length > 0;
  }
}
