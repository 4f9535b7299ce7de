/**
 * Recurrence engine: RFC 5545 RRULE parsing and expansion for the Feishu and DingTalk dialects.
 * Pure and synchronous: no I/O, no clock — every instant is passed in.
 *
 * Public API
 * - `parseRecurrenceRule(text): ParsedRule` — validates a rule body (`FREQ=WEEKLY;BYDAY=MO`, an
 *   `RRULE:` prefix is stripped); throws `RecurrenceRuleError` (name 'RecurrenceRuleError', `part`
 *   names the offending part, message e.g. "recurrence: COUNT and UNTIL must not both be set").
 * - `expandOccurrences({ rule, start, fromEpoch, toEpoch?, maxOccurrences?, exdates?, startIsOccurrence? })` —
 *   generator of occurrence starts (epoch seconds; all-day: 00:00 UTC of each date), ascending,
 *   fromEpoch <= start < toEpoch. Throws `RecurrenceLimitError` if it would need more than
 *   `MAX_STEPS` internal steps.
 * - `seriesLastStart(rule, start, exdates?, { startIsOccurrence? }?): number | null` — last
 *   occurrence start of a bounded series; null if unbounded (or empty).
 * - `isUnboundedRule(rule): boolean` — no COUNT and no UNTIL.
 * - `formatRecurrenceRule(rule): string` — canonical rule text.
 *
 * Semantics (details and evidence in docs/recurrence.md)
 * - Timed series expand in wall-clock time of their IANA zone: a 09:00 meeting stays at 09:00
 *   across DST. A local time in a DST gap moves forward by the gap; an ambiguous one takes the
 *   earlier instant (Temporal 'compatible', as Google Calendar and Outlook do).
 * - All-day series expand by date in UTC.
 * - A start that does not match the rule is not itself an occurrence (as in libical), unless
 *   `startIsOccurrence` is set: then the start is the first occurrence and counts toward COUNT, and
 *   UNTIL bounds only the rule's occurrences (RFC 5545 DTSTART; what rili's events use).
 * - FREQ=SECONDLY/MINUTELY are refused; FREQ=HOURLY needs COUNT or UNTIL.
 */
export { RecurrenceLimitError, RecurrenceRuleError } from './errors.js';
export type { ByDay, Frequency, ParsedRule, RuleUntil, SeriesStart, Weekday } from './types.js';
export { WEEKDAYS } from './types.js';
export { MAX_COUNT, MAX_INTERVAL, parseRecurrenceRule } from './parse.js';
export { formatRecurrenceRule } from './format.js';
export { DEFAULT_MAX_OCCURRENCES, expandOccurrences, expandWithin } from './expand.js';
export type { BoundedExpansion, ExpandInput } from './expand.js';
export { MAX_STEPS, WorkBudget } from './budget.js';
export { isUnboundedRule, seriesLastStart } from './series.js';
