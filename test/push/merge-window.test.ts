import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../helpers/stores.js';
import { at, dingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import type { Received } from './feishu-receiver.js';
import { SdkWsReceiver, WS_APP, WS_SECRET, WS_SEED } from './feishu-ws-receiver.js';

const ZHANGSAN = { union_id: 'on_zhangsan', user_id: 'zhangsan', open_id: 'ou_zhangsan' };
const LISI = { union_id: 'on_lisi', user_id: 'lisi', open_id: 'ou_lisi' };
const WANGWU = { union_id: 'on_wangwu', user_id: 'wangwu', open_id: 'ou_wangwu' };

const fields = (r: Received) => {
  const { event_id: _id, create_time: _t, ...rest } = Object.fromEntries(Object.entries(r));
  return rest;
};

interface LogEntry { status: string; attempts: number; merge?: { window_ends_at: number; changes: number } }

/**
 * Feishu's 3-second merge, on the test's frozen clock: changes made while it stands still all fall
 * in one window; the test waits until the held pushes stand for the changes it made, then moves the
 * clock past the window and takes what arrives.
 */
for (const kind of STORES) {
  describe(`${kind}: the 3-second merge of changes to one event`, () => {
    let f: DingtalkFixture;
    let receiver: SdkWsReceiver;
    let client: lark.Client;
    const as: Record<string, ReturnType<typeof lark.withUserAccessToken>> = {};
    let primary: string;

    before(async () => {
      f = await dingtalkFixture(kind, { seedFile: WS_SEED, push: { mergeMs: 3_000 } });
      receiver = new SdkWsReceiver(f.s.url, WS_APP, WS_SECRET);
      await receiver.start();
      client = f.s.lark();
      for (const u of ['zhangsan', 'lisi', 'wangwu']) as[u] = lark.withUserAccessToken(await f.s.userToken(u));
      primary = (await client.calendar.v4.calendar.primary({}, as.zhangsan)).data!.calendars![0].calendar!.calendar_id!;
      const sub = await f.s.lark(WS_APP, WS_SECRET).calendar.v4.calendarEvent.subscription({ path: { calendar_id: primary } },
        lark.withUserAccessToken(await f.s.userToken('zhangsan', WS_APP)));
      assert.equal(sub.code, 0, sub.msg);
    });
    after(async () => {
      receiver.close();
      await f.close();
    });

    /** Waits until the pushes held for a window stand for `changes` changes, ends the window, takes `count` events. */
    async function windowEnds(changes: number, count: number): Promise<Array<Record<string, unknown>>> {
      const held = async () => ((await (await fetch(`${f.s.url}/rili/v1/deliveries?app_id=${WS_APP}&status=pending`)).json()) as { deliveries: LogEntry[] })
        .deliveries.filter((d) => d.merge && d.attempts === 0).reduce((n, d) => n + d.merge!.changes, 0);
      for (let i = 0; i < 300 && await held() !== changes; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await held(), changes, 'the held pushes stand for every change made');
      f.s.clock.advance(3);
      return (await receiver.take(count)).map(fields);
    }

    const change = (eventId: string, changeType: string, extra: object = {}) => ({
      schema: '2.0', token: '', app_id: WS_APP, tenant_key: 'acme', event_type: 'calendar.calendar.event.changed_v4',
      calendar_id: primary, user_id_list: [ZHANGSAN], calendar_event_id: eventId, change_type: changeType, ...extra,
    });

    test('create, update, rsvp and delete fold by the platform\'s rules', async () => {
      const ev = client.calendar.v4.calendarEvent;
      const create = async (summary: string, day: number) => (await ev.create({
        path: { calendar_id: primary },
        data: { summary, start_time: { timestamp: String(at(day, 10)) }, end_time: { timestamp: String(at(day, 11)) } },
      }, as.zhangsan)).data!.event!.event_id;
      const patch = (id: string, summary: string) => ev.patch({ path: { calendar_id: primary, event_id: id }, data: { summary } }, as.zhangsan);
      const reply = async (user: string, id: string, rsvp: 'accept' | 'decline' | 'tentative') =>
        assert.equal((await ev.reply({ path: { calendar_id: primary, event_id: id }, data: { rsvp_status: rsvp } }, as[user])).code, 0);

      // create + update (attendees added) + update → create
      const id = await create('merged', 0);
      await client.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: primary, event_id: id }, params: { user_id_type: 'user_id' },
        data: { attendees: [{ type: 'user', user_id: 'lisi' }, { type: 'user', user_id: 'wangwu' }] },
      }, as.zhangsan);
      await patch(id, 'merged 2');
      assert.deepEqual(await windowEnds(3, 1), [change(id, 'create')]);

      // rsvp + rsvp + rsvp → one rsvp, each user's last answer
      await reply('lisi', id, 'accept');
      await reply('wangwu', id, 'decline');
      await reply('lisi', id, 'tentative');
      assert.deepEqual(await windowEnds(3, 1), [change(id, 'rsvp', {
        rsvp_infos: [{ from_user_id: LISI, rsvp_status: 'tentative' }, { from_user_id: WANGWU, rsvp_status: 'decline' }],
      })]);

      // update + update → the last update
      await patch(id, 'merged 3');
      await patch(id, 'merged 4');
      assert.deepEqual(await windowEnds(2, 1), [change(id, 'update')]);

      // update + delete → delete
      await patch(id, 'merged 5');
      await ev.delete({ path: { calendar_id: primary, event_id: id } }, as.zhangsan);
      assert.deepEqual(await windowEnds(2, 1), [change(id, 'delete')]);

      // create + delete → nothing; another event's create + update in the same moment → its create alone
      const gone = await create('gone', 1);
      await ev.delete({ path: { calendar_id: primary, event_id: gone } }, as.zhangsan);
      const kept = await create('kept', 2);
      await patch(kept, 'kept 2');
      assert.deepEqual(await windowEnds(2, 2), [change(kept, 'create')]);
    });
  });
}
