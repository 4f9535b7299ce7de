/** Canonical text of a parsed rule, e.g. for storing a normalized form. */
import { formatDate, SECONDS_PER_DAY } from './calendar-math.js';
import type { ParsedRule, RuleUntil } from './types.js';

const compact = (iso: string): string => iso.replace(/[-:]/g, '');

function formatUntil(until: RuleUntil): string {
  switch (until.kind) {
    case 'date':
      return compact(until.date);
    case 'local':
      return compact(until.dateTime);
    case 'utc': {
      const days = Math.floor(until.epochSeconds / SECONDS_PER_DAY);
      const second = until.epochSeconds - days * SECONDS_PER_DAY;
      const hms = [Math.floor(second / 3600), Math.floor((second % 3600) / 60), second % 60];
      return `${compact(formatDate(days))}T${hms.map((n) => String(n).padStart(2, '0')).join('')}Z`;
    }
  }
}

/** Formats a rule as `FREQ=…;INTERVAL=…;…` in a fixed part order (no `RRULE:` prefix). */
export function formatRecurrenceRule(rule: ParsedRule): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  if (rule.until) parts.push(`UNTIL=${formatUntil(rule.until)}`);
  const list = (name: string, values: readonly (number | string)[] | undefined): void => {
    if (values) parts.push(`${name}=${values.join(',')}`);
  };
  list('BYMONTH', rule.byMonth);
  list('BYWEEKNO', rule.byWeekNo);
  list('BYYEARDAY', rule.byYearDay);
  list('BYMONTHDAY', rule.byMonthDay);
  list('BYDAY', rule.byDay?.map((d) => `${d.ordinal ?? ''}${d.weekday}`));
  list('BYHOUR', rule.byHour);
  list('BYMINUTE', rule.byMinute);
  list('BYSECOND', rule.bySecond);
  list('BYSETPOS', rule.bySetPos);
  if (rule.wkst !== 'MO') parts.push(`WKST=${rule.wkst}`);
  return parts.join(';');
}
