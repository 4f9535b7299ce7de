import { expandWithin, parseRecurrenceRule, WorkBudget } from '../recurrence/index.js';
import { DomainError, invalidArgument, leafOf } from '../errors.js';
import { SERIES_CHECK_SECONDS, SERIES_STEPS } from './read-budget.js';
import { seriesStartOf } from './series.js';
import { epochOf } from './time.js';
import type { CheckInTime, EventCheckIn, EventTime, MeetingSettings, Vchat } from './types.js';

/** Fields an attendee may change on their own copy; anything else needs can_modify_event. */
export const PERSONAL_FIELDS = ['visibility', 'freeBusyStatus', 'color', 'reminders'] as const;

/** Checks an RRULE body: RFC 5545, no COUNT with UNTIL, no rule that generates absurd numbers of occurrences. */
export function checkRecurrence(text: string): void {
  if (text === '') return;
  try {
    parseRecurrenceRule(text);
  } catch (error) {
    throw invalidArgument('recurrence', (error as Error).message.replace(/^recurrence: /, ''));
  }
}

/**
 * Refuses a rule too costly to read: one whose first two years (from this start), or whose whole
 * COUNT, need more than SERIES_STEPS expansion steps, about 20 occurrences a day. Every read of an
 * accepted series then fits one request's budget (READ_STEPS) on its own.
 */
export function checkRecurrenceCost(text: string, start: EventTime): void {
  if (text === '') return;
  const from = epochOf(start);
  const trial = expandWithin({
    rule: text, start: seriesStartOf(start), fromEpoch: from, toEpoch: from + SERIES_CHECK_SECONDS,
    maxOccurrences: SERIES_STEPS, budget: new WorkBudget(SERIES_STEPS),
  });
  if (trial.exhausted) {
    throw invalidArgument('recurrence', `the rule is too dense: two years of it (or its COUNT) need more than ${SERIES_STEPS} expansion steps, about 20 occurrences a day`);
  }
}

const CHECK_IN_DURATIONS = new Set([0, 5, 15, 30, 60]);

/** Seconds from the event's start (or end) at which a check-in boundary falls. */
function offset(t: CheckInTime, durationSeconds: number): number {
  const d = t.duration * 60;
  switch (t.timeType) {
    case 'before_event_start':
      return -d;
    case 'after_event_start':
      return d;
    case 'after_event_end':
      return durationSeconds + d;
  }
}

/**
 * Check-in: durations from {0,5,15,30,60} and before_event_start never 0 (whenever a time is sent, as
 * it is stored and answered back); when enabled, both times and a window that opens before it closes.
 */
export function checkCheckIn(checkIn: EventCheckIn | null, eventDurationSeconds: number): void {
  if (!checkIn) return;
  const { checkInStartTime: start, checkInEndTime: end } = checkIn;
  for (const [field, t] of [['checkIn.checkInStartTime', start], ['checkIn.checkInEndTime', end]] as const) {
    if (!t) {
      if (checkIn.enableCheckIn) throw invalidArgument(field, (n) => `is required when ${leafOf(n('checkIn.enableCheckIn'))} is true`);
      continue;
    }
    if (!CHECK_IN_DURATIONS.has(t.duration)) throw invalidArgument(`${field}.duration`, 'must be one of 0, 5, 15, 30, 60');
    if (t.timeType === 'before_event_start' && t.duration === 0) throw invalidArgument(`${field}.duration`, 'before_event_start cannot take 0');
  }
  if (!checkIn.enableCheckIn) return;
  if (start!.timeType === 'after_event_end') throw invalidArgument('checkIn.checkInStartTime.timeType', 'check-in cannot open after the event ends');
  if (end!.timeType === 'before_event_start') throw invalidArgument('checkIn.checkInEndTime.timeType', 'check-in cannot close before the event starts');
  if (offset(start!, eventDurationSeconds) >= offset(end!, eventDurationSeconds)) {
    throw invalidArgument('checkIn', (n) => `${leafOf(n('checkIn.checkInStartTime'))} must be before ${leafOf(n('checkIn.checkInEndTime'))}`);
  }
}

/** Who organises, as far as meeting settings care. */
export interface MeetingContext {
  readonly organizerIsBot: boolean;
  readonly callerIsOrganizer: boolean;
}

/** vchat rules: third_party needs a url; meeting settings only with vc, and the organizer rules of the seed. */
export function checkVchat(vchat: Vchat | null, ctx: MeetingContext): void {
  if (!vchat) return;
  if (vchat.vcType === 'lark_live' || vchat.vcType === 'unknown') {
    throw invalidArgument('vchat.vcType', `${vchat.vcType} is read-only`);
  }
  if (vchat.vcType === 'third_party' && !vchat.meetingUrl) throw invalidArgument('vchat.meetingUrl', (n) => `is required when ${leafOf(n('vchat.vcType'))} is third_party`);
  const s = vchat.meetingSettings;
  if (!s) return;
  if (vchat.vcType !== 'vc') throw invalidArgument('vchat.meetingSettings', (n) => `applies only when ${leafOf(n('vchat.vcType'))} is vc`);
  checkMeetingSettings(s, ctx);
}

const ASSIGN_HOSTS = 'vchat.meetingSettings.assignHosts';

function checkMeetingSettings(s: MeetingSettings, ctx: MeetingContext): void {
  const hosts = (s.assignHosts ?? []).length > 0;
  if (ctx.organizerIsBot && (hosts || s.allowAttendeesStart === false)) {
    throw new DomainError('bot_meeting_settings', (n) =>
      `organizer is bot, can not set ${leafOf(n(ASSIGN_HOSTS))}, and ${leafOf(n('vchat.meetingSettings.allowAttendeesStart'))} must be true`, 'vchat.meetingSettings');
  }
  if (hosts && !ctx.callerIsOrganizer) {
    throw new DomainError('assign_hosts_forbidden', (n) => `only organizer(not bot) can set ${leafOf(n(ASSIGN_HOSTS))}`, ASSIGN_HOSTS);
  }
  if (s.password !== undefined) {
    if (!ctx.callerIsOrganizer) throw new DomainError('password_forbidden', 'only organizer can set password', 'vchat.meetingSettings.password');
    if (!/^\d{4,9}$/.test(s.password)) throw new DomainError('invalid_meeting_password', 'the password must be 4 to 9 digits', 'vchat.meetingSettings.password');
  }
  if (s.ownerId !== undefined && !ctx.organizerIsBot) {
    throw invalidArgument('vchat.meetingSettings.ownerId', 'can only be set on an app calendar\'s event');
  }
}
