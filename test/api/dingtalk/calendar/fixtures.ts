import { createRequire } from 'node:module';
import { calendar as $Calendar, dingtalkConfig, oauth2 as $Oauth2 } from '../../../helpers/dingtalk.js';
import { startServer } from '../../../helpers/server.js';
import type { TestServer } from '../../../helpers/server.js';
import type { StoreKind } from '../../../../src/store/open-store.js';

export { $Calendar };

/** A server, the DingTalk calendar client and an app token for acme's DingTalk app. */
export interface DingtalkFixture {
  readonly s: TestServer;
  readonly client: InstanceType<typeof $Calendar.default>;
  /** Access token of `dingacme`. */
  readonly token: string;
  /** Access token of another tenant's app (`dingglobex`). */
  readonly globexToken: string;
  /** Headers for an SDK call: the app token unless another is given, and an optional x-client-token. */
  headers(name: string, options?: { token?: string; clientToken?: string }): any;
  /** A DingTalk user token for a user of acme (through the sandbox). */
  userToken(user: string): Promise<string>;
  close(): Promise<void>;
}

export async function dingtalkFixture(kind: StoreKind, options: Parameters<typeof startServer>[1] = {}): Promise<DingtalkFixture> {
  const s = await startServer(kind, options);
  const config = dingtalkConfig(s.url);
  const oauth = new $Oauth2.default(config);
  const tokenOf = async (appKey: string, appSecret: string) =>
    (await oauth.getAccessToken(new $Oauth2.GetAccessTokenRequest({ appKey, appSecret }))).body!.accessToken!;
  const token = await tokenOf('dingacme', 'acme-secret');
  const globexToken = await tokenOf('dingglobex', 'globex-secret');
  return {
    s,
    client: new $Calendar.default(config),
    token,
    globexToken,
    headers(name, o = {}) {
      const Headers = ($Calendar as any)[`${name}Headers`];
      return new Headers({ xAcsDingtalkAccessToken: o.token ?? token, ...(o.clientToken ? { xClientToken: o.clientToken } : {}) });
    },
    userToken: (user) => s.userToken(user, 'dingacme'),
    close: () => s.close(),
  };
}

const require = createRequire(import.meta.url);
const $Util = require('@alicloud/tea-util') as { RuntimeOptions: new (m: object) => unknown };

/** The SDK's runtime options, for the `…WithOptions` calls. */
export const runtime = (): any => new $Util.RuntimeOptions({});

/** Awaits an SDK call that must fail; returns the HTTP status, the DingTalk code and message. */
export async function failure(call: Promise<unknown>): Promise<{ status: number; code: string; message: string; data: any }> {
  try {
    await call;
  } catch (error) {
    const e = error as { statusCode?: number; code?: string; data?: any };
    if (e.statusCode === undefined) throw error;
    return { status: e.statusCode, code: e.code!, message: e.data?.message, data: e.data };
  }
  throw new Error('the call succeeded');
}

/** 2030-01-07T00:00:00Z, a Monday: a base instant for event times. */
export const T0 = 1_893_974_400;
export const HOUR = 3600;
export const DAY = 86_400;

/** A well-formed event id that no event has. */
export const UNKNOWN_EVENT_ID = '00000000-0000-4000-8000-000000000000_0';

/** The instant of a Shanghai wall time: `day` days after 2030-01-07 (a Monday), at `hour` o'clock. */
export const at = (day: number, hour: number): number => T0 + day * DAY + (hour - 8) * HOUR;

/** An ISO-8601 date-time of an instant in Asia/Shanghai (+08:00). */
export const iso = (epoch: number): string => new Date((epoch + 8 * HOUR) * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** A timed start/end pair in Asia/Shanghai. */
export const timed = (start: number, end: number, timeZone = 'Asia/Shanghai') => ({
  start: { dateTime: iso(start), timeZone },
  end: { dateTime: iso(end), timeZone },
});

/** The calls the tests make, through the SDK with the app token unless told otherwise. */
export function calls(f: DingtalkFixture) {
  const h = (name: string, o?: { token?: string; clientToken?: string }) => f.headers(name, o);
  const c = f.client;
  // SDK models are class instances: compare them as the JSON they came from.
  const plain = async (p: Promise<any>) => JSON.parse(JSON.stringify((await p).body ?? null));
  return {
    create: (user: string, body: object, o?: { token?: string; clientToken?: string; calendarId?: string }) =>
      plain(c.createEventWithOptions(user, o?.calendarId ?? 'primary', (body instanceof $Calendar.CreateEventRequest ? body : new $Calendar.CreateEventRequest(body)), h('CreateEvent', o), runtime())),
    get: (user: string, eventId: string, query: object = {}, o?: { token?: string; calendarId?: string }) =>
      plain(c.getEventWithOptions(user, o?.calendarId ?? 'primary', eventId, new $Calendar.GetEventRequest(query), h('GetEvent', o), runtime())),
    patch: (user: string, eventId: string, body: object, o?: { token?: string; clientToken?: string; calendarId?: string }) =>
      plain(c.patchEventWithOptions(user, o?.calendarId ?? 'primary', eventId, (body instanceof $Calendar.PatchEventRequest ? body : new $Calendar.PatchEventRequest(body)), h('PatchEvent', o), runtime())),
    del: (user: string, eventId: string, query: object = {}, o?: { token?: string; clientToken?: string }) =>
      c.deleteEventWithOptions(user, 'primary', eventId, new $Calendar.DeleteEventRequest(query), h('DeleteEvent', o), runtime()),
    list: (user: string, query: object = {}, o?: { token?: string; calendarId?: string }) =>
      plain(c.listEventsWithOptions(user, o?.calendarId ?? 'primary', new $Calendar.ListEventsRequest(query), h('ListEvents', o), runtime())),
    view: (user: string, query: object = {}, o?: { token?: string }) =>
      plain(c.listEventsViewWithOptions(user, 'primary', new $Calendar.ListEventsViewRequest(query), h('ListEventsView', o), runtime())),
    instances: (user: string, eventId: string, query: object = {}, o?: { token?: string }) =>
      plain(c.listInstancesWithOptions(user, 'primary', eventId, new $Calendar.ListInstancesRequest(query), h('ListInstances', o), runtime())),
    addAttendees: (user: string, eventId: string, body: object, o?: { token?: string; clientToken?: string }) =>
      c.addAttendeeWithOptions(user, 'primary', eventId, new $Calendar.AddAttendeeRequest(body), h('AddAttendee', o), runtime()),
    removeAttendees: (user: string, eventId: string, body: object, o?: { token?: string; clientToken?: string }) =>
      c.removeAttendeeWithOptions(user, 'primary', eventId, new $Calendar.RemoveAttendeeRequest(body), h('RemoveAttendee', o), runtime()),
    attendees: (user: string, eventId: string, query: object = {}, o?: { token?: string }) =>
      plain(c.listAttendeesWithOptions(user, 'primary', eventId, new $Calendar.ListAttendeesRequest(query), h('ListAttendees', o), runtime())),
    respond: (user: string, eventId: string, responseStatus: string, o?: { token?: string; clientToken?: string }) =>
      c.respondEventWithOptions(user, 'primary', eventId, new $Calendar.RespondEventRequest({ responseStatus }), h('RespondEvent', o), runtime()),
    schedule: (user: string, body: object, o?: { token?: string }) =>
      plain(c.getScheduleWithOptions(user, new $Calendar.GetScheduleRequest(body), h('GetSchedule', o), runtime())),
    calendars: (user: string, o?: { token?: string }) =>
      plain(c.listCalendarsWithOptions(user, h('ListCalendars', o), runtime())),
  };
}

/** A plain timed event body: an hour from `start`. */
export const meeting = (summary: string, start = at(0, 10), extra: object = {}) => ({ summary, ...timed(start, start + HOUR), ...extra });
