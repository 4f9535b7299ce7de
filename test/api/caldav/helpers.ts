import * as lark from '@larksuiteoapi/node-sdk';
import type { DingtalkFixture } from '../dingtalk/calendar/fixtures.js';

export interface Dav {
  readonly base: string;
  readonly user: string;
  readonly password: string;
  readonly feedUrl: string;
  readonly primary: string;
  readonly calendarUrl: string;
  request(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<{ status: number; text: string; headers: Headers }>;
}

/** CalDAV credentials for a user through Feishu's generateCaldavConf, and a fetch that sends them. */
export async function davFor(f: DingtalkFixture, userId = 'zhangsan', device = 'test'): Promise<Dav & { client: lark.Client; as: ReturnType<typeof lark.withUserAccessToken> }> {
  const client = f.s.lark();
  const as = lark.withUserAccessToken(await f.s.userToken(userId));
  const res = await client.calendar.v4.setting.generateCaldavConf({ data: { device_name: device } }, as);
  if (res.code !== 0) throw new Error(res.msg);
  const conf = res.data as { user_name: string; password: string; server_address: string; feed_url: string };
  const primary = (await client.calendar.v4.calendar.primary({}, as)).data!.calendars![0].calendar!.calendar_id;
  const auth = `Basic ${Buffer.from(`${conf.user_name}:${conf.password}`).toString('base64')}`;
  const base = conf.server_address;
  return {
    client, as, base, user: conf.user_name, password: conf.password, feedUrl: conf.feed_url, primary,
    calendarUrl: `${base}calendars/${encodeURIComponent(conf.user_name)}/${encodeURIComponent(primary)}/`,
    async request(method, path, body, headers = {}) {
      const url = path.startsWith('http') ? path : new URL(path, base).toString();
      const r = await fetch(url, { method, body, headers: { authorization: auth, ...headers } });
      return { status: r.status, text: await r.text(), headers: r.headers };
    },
  };
}

export const ics = (uid: string, lines: string[], extra: string[] = []): string => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
  'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT', ...extra, 'END:VCALENDAR', '',
].join('\r\n');
