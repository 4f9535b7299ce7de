/**
 * Errors of the recurrence engine. They are plain `Error` subclasses so the engine stays
 * independent of the dialect error tables; callers map them (e.g. to an invalid-argument error
 * naming the `recurrence` field).
 */

/** A recurrence rule (or a rule/start combination) that the engine refuses. */
export class RecurrenceRuleError extends Error {
  override readonly name = 'RecurrenceRuleError';
  /** The rule part at fault, e.g. `'COUNT'`, `'BYDAY'`; `'RRULE'` for the rule as a whole. */
  readonly part: string;
  constructor(part: string, message: string) {
    super(`recurrence: ${message}`);
    this.part = part;
  }
}

/**
 * Expansion needed more internal work than the per-call budget allows. Thrown instead of
 * spinning, so a stored rule can never make a request run away.
 */
export class RecurrenceLimitError extends Error {
  override readonly name = 'RecurrenceLimitError';
  constructor(message: string) {
    super(`recurrence: ${message}`);
  }
}
