import * as lark from '@larksuiteoapi/node-sdk';
import { $Calendar, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

/** The three ACL operations through the SDK (app token unless told), answers as plain JSON. */
export function aclCalls(f: DingtalkFixture) {
  const c = f.client;
  const plain = async (p: Promise<any>) => JSON.parse(JSON.stringify((await p).body ?? null));
  return {
    create: (user: string, calendarId: string, body: object, o?: { token?: string }) =>
      plain(c.createAclsWithOptions(user, calendarId, new $Calendar.CreateAclsRequest(body), f.headers('CreateAcls', o), runtime())),
    list: (user: string, calendarId: string, o?: { token?: string }) =>
      plain(c.listAclsWithOptions(user, calendarId, f.headers('ListAcls', o), runtime())),
    del: (user: string, calendarId: string, aclId: string, o?: { token?: string }) =>
      c.deleteAclWithOptions(user, calendarId, aclId, f.headers('DeleteAcl', o), runtime()) as Promise<{ statusCode: number }>,
  };
}

/** A shared calendar owned by `owner` (a user of acme), made through Feishu; its id. */
export async function sharedCalendarOf(f: DingtalkFixture, owner: string, summary: string): Promise<string> {
  const token = await f.s.userToken(owner);
  const res = await f.s.lark().calendar.v4.calendar.create({ data: { summary, permissions: 'private' } }, lark.withUserAccessToken(token));
  return res.data!.calendar!.calendar_id;
}

/** A user grant as DingTalk answers it. */
export const grant = (privilege: string, unionId: string) => ({ privilege, scope: { scopeType: 'user', userId: unionId } });
