import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../helpers/stores.js';
import { assertLogRebuildsCalendars } from './change-log-check.js';
import { $Calendar, UNKNOWN_EVENT_ID, at, calls, dingtalkFixture, failure, meeting, runtime } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk CancelEvent`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    const cancel = (user: string, eventId: string, query: object = {}, o: { token?: string } = {}) =>
      (f.client).cancelEventWithOptions(user, 'primary', eventId, new $Calendar.CancelEventRequest(query), f.headers('CancelEvent', o), runtime())
        .then((res: any) => JSON.parse(JSON.stringify(res.body)));
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('the organizer cancels for everyone: GetEvent answers it cancelled, Feishu get answers event deleted, both syncs report it', async () => {
      const before = await api.list('on_lisi', {});
      const client = f.s.lark();
      const zhangsan = lark.withUserAccessToken(await f.s.userToken('zhangsan'));
      const primary = (await client.calendar.v4.calendar.primary({}, zhangsan)).data!.calendars![0].calendar!.calendar_id;
      const feishuStart = (await client.calendar.v4.calendarEvent.list({ path: { calendar_id: primary }, params: {} }, zhangsan)).data!.sync_token!;
      const { id } = await api.create('on_zhangsan', meeting('standup', at(0, 10), { attendees: [{ id: 'on_lisi' }] }));
      assert.deepEqual(await cancel('on_zhangsan', id), { result: true });
      for (const user of ['on_zhangsan', 'on_lisi']) {
        const seen = await api.get(user, id);
        assert.deepEqual([seen.id, seen.summary, seen.status], [id, 'standup', 'cancelled'], user);
      }
      // DingTalk incremental sync reports it cancelled on the attendee's calendar.
      const changed = await api.list('on_lisi', { syncToken: before.syncToken });
      assert.deepEqual(changed.events.map((e: any) => [e.id, e.status]), [[id, 'cancelled']]);
      // Feishu: gone from the organizer's calendar (193003 event deleted, Feishu's one word for it).
      const got = await client.calendar.v4.calendarEvent.get({ path: { calendar_id: primary, event_id: id } }, zhangsan).catch((e: any) => e.response?.data);
      assert.equal(got.code, 193003);
      // Feishu's sync reports it cancelled (the organizer's calendar saw it created and cancelled since).
      const synced = (await client.calendar.v4.calendarEvent.list({ path: { calendar_id: primary }, params: { sync_token: feishuStart } }, zhangsan)).data!.items ?? [];
      assert.deepEqual(synced.filter((e) => e.event_id === id).map((e) => e.status), ['cancelled']);
      assert.ok(await assertLogRebuildsCalendars(f) >= 0);
    });

    test('cancelled is not deleted: a deleted event stays instanceNotExist', async () => {
      const { id } = await api.create('on_zhangsan', meeting('gone'));
      await api.del('on_zhangsan', id);
      const seen = await failure(api.get('on_zhangsan', id));
      assert.deepEqual([seen.status, seen.code], [404, 'instanceNotExist']);
    });

    test('one occurrence of a series: only it is cancelled', async () => {
      const series = await api.create('on_zhangsan', meeting('daily', at(1, 9), {
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', numberOfOccurrences: 3 } },
      }));
      const instances = (await api.instances('on_zhangsan', series.id, { timeMin: '2030-01-08T00:00:00+08:00', timeMax: '2030-01-12T00:00:00+08:00' })).events;
      assert.equal(instances.length, 3);
      await cancel('on_zhangsan', instances[1].id, { scope: 'single' });
      const after = (await api.instances('on_zhangsan', series.id, { timeMin: '2030-01-08T00:00:00+08:00', timeMax: '2030-01-12T00:00:00+08:00' })).events;
      assert.deepEqual(after.map((e: any) => e.id), [instances[0].id, instances[2].id]);
      assert.equal((await api.get('on_zhangsan', instances[1].id)).status, 'cancelled');
      assert.equal((await api.get('on_zhangsan', series.id)).status, 'confirmed');
      await assertLogRebuildsCalendars(f);
    });

    test('an attendee may not cancel: permissionDeny, and nothing changes', async () => {
      const { id } = await api.create('on_zhangsan', meeting('kept', at(2, 10), { attendees: [{ id: 'on_lisi' }] }));
      const refused = await failure(cancel('on_lisi', id));
      assert.deepEqual([refused.status, refused.code], [400, 'permissionDeny']);
      for (const user of ['on_zhangsan', 'on_lisi']) assert.equal((await api.get(user, id)).status, 'confirmed');
    });

    test('an unknown or already cancelled event is itemNotFound; another user token is permissionDeny', async () => {
      const missing = await failure(cancel('on_zhangsan', UNKNOWN_EVENT_ID));
      assert.deepEqual([missing.status, missing.code], [404, 'itemNotFound']);
      const { id } = await api.create('on_zhangsan', meeting('twice', at(3, 10)));
      await cancel('on_zhangsan', id);
      const again = await failure(cancel('on_zhangsan', id));
      assert.deepEqual([again.status, again.code], [404, 'itemNotFound']);
      const other = await failure(cancel('on_zhangsan', id, {}, { token: await f.userToken('lisi') }));
      assert.equal(other.code, 'permissionDeny');
    });
  });
}
