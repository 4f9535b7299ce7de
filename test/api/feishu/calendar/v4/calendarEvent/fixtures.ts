import assert from 'node:assert/strict';
import * as lark from '@larksuiteoapi/node-sdk';
import { feishuFailure } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

/** 2026-01-01T00:00:00Z: a base instant for event times. */
export const T0 = 1_767_225_600;
export const HOUR = 3600;
export const DAY = 86_400;

export const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}_0$/;

/** A well-formed event id that no event has. */
export const UNKNOWN_EVENT_ID = '00000000-0000-4000-8000-000000000000_0';

export const as = (token: string) => lark.withUserAccessToken(token);

export const timed = (start: number, end: number, timezone?: string) => ({
  start_time: { timestamp: String(start), ...(timezone ? { timezone } : {}) },
  end_time: { timestamp: String(end), ...(timezone ? { timezone } : {}) },
});

/** Everything the SDK call helpers need: the server, a client, and who acts. */
export interface Caller {
  readonly client: lark.Client;
  /** A user token, or undefined for the app's tenant token. */
  readonly token?: string;
}

const opts = (c: Caller) => (c.token ? [as(c.token)] : []);

// The SDK's payload types are exact enums; bad-input rows need to send what the types forbid.
export const createEvent = (c: Caller, calendarId: string, data: object, params: object = {}) =>
  c.client.calendar.v4.calendarEvent.create({ path: { calendar_id: calendarId }, params: params, data: data as any }, ...opts(c));
export const patchEvent = (c: Caller, calendarId: string, eventId: string, data: object, params: object = {}) =>
  c.client.calendar.v4.calendarEvent.patch({ path: { calendar_id: calendarId, event_id: eventId }, params: params, data: data }, ...opts(c));
export const getEvent = (c: Caller, calendarId: string, eventId: string, params: object = {}) =>
  c.client.calendar.v4.calendarEvent.get({ path: { calendar_id: calendarId, event_id: eventId }, params: params }, ...opts(c));
export const deleteEvent = (c: Caller, calendarId: string, eventId: string, params: object = {}) =>
  c.client.calendar.v4.calendarEvent.delete({ path: { calendar_id: calendarId, event_id: eventId }, params: params }, ...opts(c));
export const listEvents = (c: Caller, calendarId: string, params: object = {}) =>
  c.client.calendar.v4.calendarEvent.list({ path: { calendar_id: calendarId }, params: params }, ...opts(c));

/** The ids of the (non-deleted) events the caller sees in a calendar, all pages. */
export async function eventIds(c: Caller, calendarId: string): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const res = await listEvents(c, calendarId, { page_size: 1000, ...(pageToken ? { page_token: pageToken } : {}) });
    assert.equal(res.code, 0);
    ids.push(...(res.data!.items ?? []).map((e) => e.event_id));
    pageToken = res.data!.has_more ? res.data!.page_token : undefined;
  } while (pageToken);
  return ids;
}

/** A shared calendar owned by `owner`, with the given ACL roles granted (user_id → role). */
export async function sharedCalendar(s: TestServer, ownerToken: string, acls: Record<string, 'owner' | 'writer' | 'reader' | 'free_busy_reader'> = {}, permissions: 'private' | 'show_only_free_busy' | 'public' = 'private'): Promise<string> {
  const client = s.lark();
  const cal = await client.calendar.v4.calendar.create({ data: { summary: 'Team events', permissions } }, as(ownerToken));
  assert.equal(cal.code, 0);
  const calendarId = cal.data!.calendar!.calendar_id;
  for (const [user, role] of Object.entries(acls)) {
    const acl = await client.calendar.v4.calendarAcl.create(
      { path: { calendar_id: calendarId }, params: { user_id_type: 'user_id' }, data: { role, scope: { type: 'user', user_id: user } } }, as(ownerToken));
    assert.equal(acl.code, 0);
  }
  return calendarId;
}

/** The caller's primary calendar id. */
export async function primaryOf(c: Caller): Promise<string> {
  const res = await c.client.calendar.v4.calendar.primary({}, ...opts(c));
  return res.data!.calendars![0].calendar!.calendar_id;
}

export interface Expected {
  readonly status: number;
  readonly code: number;
  /** The field the refusal names (error.field_violations[0].field; also in msg for 190002). */
  readonly field?: string;
}

/** Asserts a call failed as expected, in a proper 4xx envelope with a log id. */
export async function assertRefused(call: Promise<unknown>, expected: Expected, label = ''): Promise<void> {
  const res = await feishuFailure(call);
  assert.deepEqual({ status: res.status, code: res.code }, { status: expected.status, code: expected.code }, `${label}: ${res.msg}`);
  assert.ok(res.status >= 400 && res.status < 500, `${label}: a 4xx, never a 500`);
  assert.equal(typeof res.body.error?.log_id, 'string', `${label}: error.log_id`);
  assert.ok(res.body.error.log_id.length > 0);
  if (expected.field !== undefined) {
    assert.equal(res.body.error.field_violations?.[0]?.field, expected.field, `${label}: field_violations (msg: ${res.msg})`);
    if (expected.code === 190002) assert.ok(res.msg.includes(expected.field), `${label}: msg names ${expected.field}: ${res.msg}`);
  }
}

/** A bad-input row: `body` is sent as the whole PATCH body, or merged over a valid create body. */
export interface BadInputRow extends Expected {
  readonly name: string;
  readonly body: Record<string, unknown>;
}

const bad = (name: string, body: Record<string, unknown>, field: string, code = 190002, status = 400): BadInputRow => ({ name, body, field, code, status });
const checkIn = (start: object, end: object) => ({ event_check_in: { enable_check_in: true, check_in_start_time: start, check_in_end_time: end } });
const vc = (settings: object) => ({ vchat: { vc_type: 'vc', meeting_settings: settings } });

/**
 * Every field rule of feishu-event-patch.md and feishu-event-resource.md, for create and patch alike
 * (as the caller being a user who organises the event). Rows touching times send both ends.
 */
export const BAD_INPUT_ROWS: readonly BadInputRow[] = [
  bad('summary over 1000 characters', { summary: 'x'.repeat(1001) }, 'summary'),
  bad('summary not a string', { summary: 5 }, 'summary'),
  bad('description over 40960 characters', { description: 'x'.repeat(40961) }, 'description'),
  bad('recurrence over 2000 characters', { recurrence: `FREQ=DAILY;INTERVAL=1;${'X'.repeat(2000)}` }, 'recurrence'),
  bad('recurrence with both COUNT and UNTIL', { recurrence: 'FREQ=DAILY;COUNT=3;UNTIL=20300101T000000Z' }, 'recurrence'),
  bad('recurrence that is not an RRULE', { recurrence: 'every other tuesday' }, 'recurrence'),
  bad('start timestamp 0 (below 1)', timed(0, T0), 'start_time.timestamp'),
  bad('end timestamp above 16725225600', timed(T0, 16725225601), 'end_time.timestamp'),
  bad('timestamp not numeric', { start_time: { timestamp: 'noon' }, end_time: { timestamp: String(T0) } }, 'start_time.timestamp'),
  bad('timestamp negative', { start_time: { timestamp: '-5' }, end_time: { timestamp: String(T0) } }, 'start_time.timestamp'),
  bad('timestamp as a JSON number', { start_time: { timestamp: T0 }, end_time: { timestamp: String(T0 + HOUR) } }, 'start_time.timestamp'),
  bad('date with month 13', { start_time: { date: '2026-13-01' }, end_time: { date: '2026-13-01' } }, 'start_time.date'),
  bad('date that does not exist', { start_time: { date: '2026-01-01' }, end_time: { date: '2026-02-30' } }, 'end_time.date'),
  bad('date after 2500-01-01 (the timestamps\' bound)', { start_time: { date: '2026-01-01' }, end_time: { date: '9999-12-31' } }, 'end_time.date'),
  bad('date with slashes', { start_time: { date: '2026/01/01' }, end_time: { date: '2026-01-01' } }, 'start_time.date'),
  bad('date with a time', { start_time: { date: '2026-01-01T10:00:00Z' }, end_time: { date: '2026-01-01' } }, 'start_time.date'),
  bad('time_info with neither date nor timestamp', { start_time: { timezone: 'Asia/Shanghai' }, end_time: { timestamp: String(T0) } }, 'start_time'),
  bad('end timestamp before start', timed(T0 + HOUR, T0), 'end_time'),
  bad('end date before start date', { start_time: { date: '2026-01-02' }, end_time: { date: '2026-01-01' } }, 'end_time'),
  bad('start a date, end a timestamp', { start_time: { date: '2026-01-01' }, end_time: { timestamp: String(T0 + DAY) } }, 'end_time'),
  bad('unknown time zone', timed(T0, T0 + HOUR, 'Mars/Olympus_Mons'), 'start_time.timezone'),
  bad('visibility not in the enum', { visibility: 'secret' }, 'visibility'),
  bad('attendee_ability not in the enum', { attendee_ability: 'everything' }, 'attendee_ability'),
  bad('free_busy_status not in the enum', { free_busy_status: 'maybe' }, 'free_busy_status'),
  bad('vchat.vc_type not in the enum', { vchat: { vc_type: 'zoom' } }, 'vchat.vc_type'),
  bad('vchat.icon_type not in the enum', { vchat: { vc_type: 'third_party', icon_type: 'big', meeting_url: 'https://example.com' } }, 'vchat.icon_type'),
  bad('join_meeting_permission not in the enum', vc({ join_meeting_permission: 'everyone' }), 'vchat.meeting_settings.join_meeting_permission'),
  bad('schemas ui_name not in the enum', { schemas: [{ ui_name: 'ShareButton', ui_status: 'hide' }] }, 'schemas.0.ui_name'),
  bad('schemas ui_status not in the enum', { schemas: [{ ui_name: 'RSVP', ui_status: 'shown' }] }, 'schemas.0.ui_status'),
  bad('check-in time_type not in the enum', checkIn({ time_type: 'whenever', duration: 5 }, { time_type: 'after_event_end', duration: 0 }), 'event_check_in.check_in_start_time.time_type'),
  bad('third_party vchat without meeting_url', { vchat: { vc_type: 'third_party', description: 'join' } }, 'vchat.meeting_url'),
  bad('third_party meeting_url empty', { vchat: { vc_type: 'third_party', meeting_url: '' } }, 'vchat.meeting_url'),
  bad('meeting_url over 2000 characters', { vchat: { vc_type: 'third_party', meeting_url: `https://example.com/${'x'.repeat(1981)}` } }, 'vchat.meeting_url'),
  bad('vchat description over 500 characters', { vchat: { vc_type: 'third_party', meeting_url: 'https://example.com', description: 'x'.repeat(501) } }, 'vchat.description'),
  bad('vc_type lark_live is read-only', { vchat: { vc_type: 'lark_live' } }, 'vchat.vc_type'),
  bad('meeting password not digits', vc({ password: 'abcd' }), 'vchat.meeting_settings.password', 195112),
  bad('meeting password of 3 digits', vc({ password: '123' }), 'vchat.meeting_settings.password', 195112),
  bad('meeting password of 10 digits', vc({ password: '1234567890' }), 'vchat.meeting_settings.password', 195112),
  bad('meeting owner_id on a user\'s (not an app\'s) calendar', vc({ owner_id: 'ou_zhangsan' }), 'vchat.meeting_settings.owner_id'),
  bad('assign_hosts naming nobody in the tenant', vc({ assign_hosts: ['ou_nobody'] }), 'vchat.meeting_settings.assign_hosts[0]', 195100, 404),
  bad('location name empty', { location: { name: '' } }, 'location.name'),
  bad('location name over 512 characters', { location: { name: 'x'.repeat(513) } }, 'location.name'),
  bad('location address empty', { location: { name: 'HQ', address: '' } }, 'location.address'),
  bad('location address over 255 characters', { location: { address: 'x'.repeat(256) } }, 'location.address'),
  bad('reminder below -20160 minutes', { reminders: [{ minutes: -20161 }] }, 'reminders.0.minutes'),
  bad('reminder above 20160 minutes', { reminders: [{ minutes: 20161 }] }, 'reminders.0.minutes'),
  bad('reminder minutes not an integer', { reminders: [{ minutes: 1.5 }] }, 'reminders.0.minutes'),
  bad('color beyond int32', { color: 2 ** 31 }, 'color'),
  bad('attachment with an unknown file_token', { attachments: [{ file_token: 'boxacme_missing' }] }, 'attachments[0].file_token', 193105),
  bad('attachment of another tenant', { attachments: [{ file_token: 'boxacme_small' }, { file_token: 'boxglobex_file' }] }, 'attachments[1].file_token', 193107),
  bad('attachments over 25 MB in total', { attachments: [{ file_token: 'boxacme_big' }, { file_token: 'boxacme_big2' }] }, 'attachments', 193106),
  bad('check-in duration not in {0,5,15,30,60}', checkIn({ time_type: 'before_event_start', duration: 10 }, { time_type: 'after_event_end', duration: 0 }), 'event_check_in.check_in_start_time.duration'),
  bad('check-in end duration not in {0,5,15,30,60}', checkIn({ time_type: 'before_event_start', duration: 5 }, { time_type: 'after_event_end', duration: 45 }), 'event_check_in.check_in_end_time.duration'),
  bad('check-in before_event_start with duration 0', checkIn({ time_type: 'before_event_start', duration: 0 }, { time_type: 'after_event_end', duration: 0 }), 'event_check_in.check_in_start_time.duration'),
  bad('check-in opening after it closes', checkIn({ time_type: 'after_event_start', duration: 30 }, { time_type: 'after_event_start', duration: 15 }), 'event_check_in'),
  bad('check-in opening and closing at the same moment', checkIn({ time_type: 'after_event_start', duration: 15 }, { time_type: 'after_event_start', duration: 15 }), 'event_check_in'),
  bad('check-in closing before the event starts', checkIn({ time_type: 'before_event_start', duration: 30 }, { time_type: 'before_event_start', duration: 15 }), 'event_check_in.check_in_end_time.time_type'),
  bad('check-in opening after the event ends', checkIn({ time_type: 'after_event_end', duration: 5 }, { time_type: 'after_event_end', duration: 15 }), 'event_check_in.check_in_start_time.time_type'),
  bad('check-in duration not in the set, even with check-in disabled',
    { event_check_in: { enable_check_in: false, check_in_start_time: { time_type: 'before_event_start', duration: 7 } } }, 'event_check_in.check_in_start_time.duration'),
  bad('check-in enabled without its times', { event_check_in: { enable_check_in: true } }, 'event_check_in.check_in_start_time'),
];

/** Boundary values that must be accepted (create and patch): the limits are inclusive. */
export const ACCEPTED_ROWS: ReadonlyArray<{ name: string; body: Record<string, unknown>; check: (event: any) => void }> = [
  { name: 'summary of exactly 1000 characters', body: { summary: 's'.repeat(1000) }, check: (e) => assert.equal(e.summary.length, 1000) },
  { name: 'description of exactly 40960 characters', body: { description: 'd'.repeat(40960) }, check: (e) => assert.equal(e.description.length, 40960) },
  {
    name: 'timestamps 1 and 16725225600', body: timed(1, 16725225600),
    check: (e) => assert.deepEqual([e.start_time.timestamp, e.end_time.timestamp], ['1', '16725225600']),
  },
  {
    name: 'dates up to 2500-01-01', body: { start_time: { date: '2500-01-01' }, end_time: { date: '2500-01-01' } },
    check: (e) => assert.deepEqual([e.start_time.date, e.end_time.date], ['2500-01-01', '2500-01-01']),
  },
  { name: 'end equal to start', body: timed(T0, T0), check: (e) => assert.equal(e.end_time.timestamp, String(T0)) },
  { name: 'reminders at -20160 and 20160', body: { reminders: [{ minutes: -20160 }, { minutes: 20160 }] }, check: (e) => assert.deepEqual(e.reminders, [{ minutes: -20160 }, { minutes: 20160 }]) },
  {
    name: 'location name of 512 and address of 255 characters', body: { location: { name: 'n'.repeat(512), address: 'a'.repeat(255) } },
    check: (e) => assert.deepEqual([e.location.name.length, e.location.address.length], [512, 255]),
  },
  {
    name: 'meeting_url of 2000 and vchat description of 500 characters',
    body: { vchat: { vc_type: 'third_party', meeting_url: `https://example.com/${'x'.repeat(1980)}`, description: 'v'.repeat(500) } },
    check: (e) => assert.deepEqual([e.vchat.meeting_url.length, e.vchat.description.length], [2000, 500]),
  },
  ...['0123', '123456789'].map((password) => ({
    name: `meeting password of ${password.length} digits`, body: vc({ password }),
    check: (e: any) => assert.equal(e.vchat.meeting_settings.password, password),
  })),
  {
    name: 'attachments of exactly 20 MB + 2345 bytes', body: { attachments: [{ file_token: 'boxacme_big' }, { file_token: 'boxacme_small' }] },
    check: (e) => assert.deepEqual(e.attachments.map((a: any) => a.file_size), [String(20 * 1024 * 1024), '2345']),
  },
  ...[0, 5, 15, 30, 60].map((duration) => ({
    name: `check-in closing ${duration} minutes after the end`,
    body: checkIn({ time_type: 'before_event_start', duration: 5 }, { time_type: 'after_event_end', duration }),
    check: (e: any) => assert.equal(e.event_check_in.check_in_end_time.duration, duration),
  })),
  {
    name: 'check-in disabled, without times',
    body: { event_check_in: { enable_check_in: false } },
    check: (e) => assert.deepEqual(e.event_check_in, { enable_check_in: false, need_notify_attendees: false }),
  },
  {
    name: 'check-in from the start to the end (after_event_start 0 .. after_event_end 0)',
    body: checkIn({ time_type: 'after_event_start', duration: 0 }, { time_type: 'after_event_end', duration: 0 }),
    check: (e) => assert.deepEqual(e.event_check_in.check_in_start_time, { time_type: 'after_event_start', duration: 0 }),
  },
];
