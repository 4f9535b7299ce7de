import assert from 'node:assert/strict';
import * as lark from '@larksuiteoapi/node-sdk';
import { parseEventId } from '../../../../../../src/core/events/types.js';
import { feishuFailure } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

/** 2026-01-01T00:00:00Z. */
export const T0 = 1_767_225_600;

export const ATTENDEE_ID = /^(user|chat|resource|third_party)_[0-9A-Za-z]{16}$/;
export const MEETING_URL = /^https:\/\/vc\.feishu\.cn\/j\/\d{9}$/;

/** Who acts: a user token, or undefined for the app's tenant token. */
export type Who = string | undefined;

const opts = (who: Who) => (who ? [lark.withUserAccessToken(who)] : []);

/** SDK calls; payloads are typed loosely because bad-input rows send what the SDK types forbid. */
export const sdk = (client: lark.Client) => ({
  createEvent: (who: Who, calendarId: string, data: object = {}) =>
    client.calendar.v4.calendarEvent.create({
      path: { calendar_id: calendarId },
      data: { summary: 'Planning', start_time: { timestamp: String(T0) }, end_time: { timestamp: String(T0 + 3600) }, ...data },
    }, ...opts(who)),
  getEvent: (who: Who, calendarId: string, eventId: string, params: object = {}) =>
    client.calendar.v4.calendarEvent.get({ path: { calendar_id: calendarId, event_id: eventId }, params: params }, ...opts(who)),
  listEvents: (who: Who, calendarId: string, params: object = {}) =>
    client.calendar.v4.calendarEvent.list({ path: { calendar_id: calendarId }, params: params }, ...opts(who)),
  add: (who: Who, calendarId: string, eventId: string, attendees: object[], extra: object = {}, params: object = {}) =>
    client.calendar.v4.calendarEventAttendee.create({
      path: { calendar_id: calendarId, event_id: eventId }, params: params, data: { attendees, ...extra },
    }, ...opts(who)),
  list: (who: Who, calendarId: string, eventId: string, params: object = {}) =>
    client.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: calendarId, event_id: eventId }, params: params }, ...opts(who)),
  remove: (who: Who, calendarId: string, eventId: string, data: object, params: object = {}) =>
    client.calendar.v4.calendarEventAttendee.batchDelete({ path: { calendar_id: calendarId, event_id: eventId }, params: params, data: data }, ...opts(who)),
  members: (who: Who, calendarId: string, eventId: string, attendeeId: string, params: object = {}) =>
    client.calendar.v4.calendarEventAttendeeChatMember.list({
      path: { calendar_id: calendarId, event_id: eventId, attendee_id: attendeeId }, params: params,
    }, ...opts(who)),
  reply: (who: Who, calendarId: string, eventId: string, rsvp: string) =>
    client.calendar.v4.calendarEvent.reply({ path: { calendar_id: calendarId, event_id: eventId }, data: { rsvp_status: rsvp as any } }, ...opts(who)),
  patchEvent: (who: Who, calendarId: string, eventId: string, data: object) =>
    client.calendar.v4.calendarEvent.patch({ path: { calendar_id: calendarId, event_id: eventId }, data: data }, ...opts(who)),
  primary: async (who: Who): Promise<string> => {
    const res = await client.calendar.v4.calendar.primary({}, ...opts(who));
    return res.data!.calendars![0].calendar!.calendar_id;
  },
  grant: async (who: Who, calendarId: string, userId: string, role: 'owner' | 'writer' | 'reader' | 'free_busy_reader') => {
    const res = await client.calendar.v4.calendarAcl.create({
      path: { calendar_id: calendarId }, params: { user_id_type: 'user_id' }, data: { role, scope: { type: 'user', user_id: userId } },
    }, ...opts(who));
    assert.equal(res.code, 0);
  },
});

export type Sdk = ReturnType<typeof sdk>;

/** Creates an event and returns its id. */
export async function newEvent(api: Sdk, who: Who, calendarId = 'primary', data: object = {}): Promise<string> {
  const res = await api.createEvent(who, calendarId, data);
  assert.equal(res.code, 0);
  return res.data!.event!.event_id;
}

/** Adds attendees and returns them, asserting success. */
export async function invite(api: Sdk, who: Who, calendarId: string, eventId: string, attendees: object[], extra: object = {}, params: object = {}) {
  const res = await api.add(who, calendarId, eventId, attendees, extra, params);
  assert.equal(res.code, 0, JSON.stringify(res));
  return res.data!.attendees!;
}

export const user = (openId: string, more: object = {}) => ({ type: 'user', user_id: openId, ...more });
export const email = (i: number) => ({ type: 'third_party', third_party_email: `guest${i}@example.org` });

/** Expects a refusal with this HTTP status and code (and field, when given). */
export async function refused(call: Promise<unknown>, status: number, code: number, field?: string): Promise<void> {
  const res = await feishuFailure(call);
  assert.deepEqual([res.status, res.code], [status, code], JSON.stringify(res.body));
  if (field !== undefined) assert.equal(res.body.error?.field_violations?.[0]?.field, field, JSON.stringify(res.body));
}

/** What a test can compare to prove nothing changed: the attendee rows, the series rows, the change sequence. */
export async function stateOf(s: TestServer, eventId: string): Promise<string> {
  const uid = parseEventId(eventId)!.uid;
  return s.server.ctx.store.read(async (r) => JSON.stringify({
    attendees: await r.events.attendees(uid),
    series: await r.events.series(uid),
    seq: await r.calendars.currentSeq(),
  }));
}

/** Every event id in a calendar the caller sees (one page is enough for these tests). */
export async function eventIdsIn(api: Sdk, who: Who, calendarId: string): Promise<string[]> {
  const res = await api.listEvents(who, calendarId, { page_size: 1000 });
  assert.equal(res.code, 0);
  return (res.data!.items ?? []).map((e) => e.event_id);
}
