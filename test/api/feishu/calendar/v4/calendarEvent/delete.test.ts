import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import {
  HOUR, T0, UNKNOWN_EVENT_ID, assertRefused, createEvent, deleteEvent, eventIds, getEvent, patchEvent, primaryOf, sharedCalendar, timed,
} from './fixtures.js';
import type { Caller, Expected } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent.delete`, () => {
    let s: TestServer;
    let zhangsan: Caller;
    let lisi: Caller;
    let zhaoliu: Caller;
    let primary: string;
    let shared: string;
    const make = async (calendarId = primary, body: object = timed(T0, T0 + HOUR)) => {
      const res = await createEvent(zhangsan, calendarId, { summary: 'to delete', ...body });
      assert.equal(res.code, 0);
      return res.data!.event!.event_id;
    };
    before(async () => {
      s = await startServer(kind);
      zhangsan = { client: s.lark(), token: await s.userToken('zhangsan') };
      lisi = { client: s.lark(), token: await s.userToken('lisi') };
      zhaoliu = { client: s.lark(), token: await s.userToken('zhaoliu') };
      primary = await primaryOf(zhangsan);
      shared = await sharedCalendar(s, zhangsan.token!, { lisi: 'writer', zhaoliu: 'reader' });
    });
    after(() => s.close());

    test('need_notification "false", "true" or absent: data {}, the event gone from get and list', async () => {
      for (const params of [{ need_notification: 'false' }, { need_notification: 'true' }, {}]) {
        const id = await make();
        const res = await deleteEvent(zhangsan, primary, id, params);
        assert.deepEqual({ code: res.code, data: res.data }, { code: 0, data: {} }, JSON.stringify(params));
        await assertRefused(getEvent(zhangsan, primary, id), { status: 403, code: 193003, field: 'event_id' });
        assert.equal((await eventIds(zhangsan, primary)).includes(id), false);
      }
    });

    test('deleting twice is 193003; patching a deleted event too', async () => {
      const id = await make();
      assert.equal((await deleteEvent(zhangsan, primary, id, { need_notification: 'false' })).code, 0);
      await assertRefused(deleteEvent(zhangsan, primary, id), { status: 403, code: 193003, field: 'event_id' }, 'second delete');
      await assertRefused(patchEvent(zhangsan, primary, id, { summary: 'back?' }), { status: 403, code: 193003, field: 'event_id' }, 'patch');
    });

    test('a writer deletes on a shared calendar; `primary` works on the path; a recurring series goes whole', async () => {
      const onShared = await make(shared);
      assert.equal((await deleteEvent(lisi, shared, onShared)).code, 0);
      assert.equal((await eventIds(zhangsan, shared)).includes(onShared), false);
      const viaAlias = await make();
      assert.equal((await deleteEvent(zhangsan, 'primary', viaAlias)).code, 0);
      await assertRefused(getEvent(zhangsan, primary, viaAlias), { status: 403, code: 193003 });
      const series = await make(primary, { ...timed(T0, T0 + HOUR), recurrence: 'FREQ=DAILY;COUNT=5' });
      assert.equal((await deleteEvent(zhangsan, primary, series)).code, 0);
      assert.equal((await eventIds(zhangsan, primary)).includes(series), false);
    });

    test('refusals leave the event in place', async () => {
      const target = await make(shared);
      const onPrimary = await make();
      const globex: Caller = { client: s.lark('cli_globex') };
      const rows: Array<{ name: string; who: Caller; calendar: string; event: string; params?: object; expected: Expected }> = [
        { name: 'a reader', who: zhaoliu, calendar: shared, event: target, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'the bot on a user\'s primary calendar', who: { client: s.lark() }, calendar: primary, event: onPrimary, expected: { status: 403, code: 191002, field: 'calendar_id' } },
        { name: 'another tenant\'s app', who: globex, calendar: primary, event: onPrimary, expected: { status: 404, code: 191000, field: 'calendar_id' } },
        { name: 'an event of another calendar', who: zhangsan, calendar: primary, event: target, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'an unknown event', who: zhangsan, calendar: primary, event: UNKNOWN_EVENT_ID, expected: { status: 404, code: 193001, field: 'event_id' } },
        { name: 'a malformed event_id', who: zhangsan, calendar: primary, event: 'abc_0', expected: { status: 400, code: 193000, field: 'event_id' } },
        { name: 'need_notification not a boolean', who: zhangsan, calendar: primary, event: onPrimary, params: { need_notification: 'maybe' }, expected: { status: 400, code: 190002, field: 'need_notification' } },
      ];
      for (const row of rows) {
        await assertRefused(deleteEvent(row.who, row.calendar, row.event, row.params), row.expected, row.name);
      }
      assert.equal((await getEvent(zhangsan, shared, target)).data!.event!.status, 'confirmed');
      assert.equal((await getEvent(zhangsan, primary, onPrimary)).data!.event!.status, 'confirmed');
      assert.ok((await eventIds(zhangsan, shared)).includes(target));
    });
  });
}
