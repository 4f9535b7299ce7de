import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../helpers/stores.js';
import { UNKNOWN_EVENT_ID, calls, dingtalkFixture, failure, meeting } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: DingTalk AddAttendee`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
    });
    after(() => f.close());

    test('invites users by unionId; the event shows in their calendars; adding twice changes nothing', async () => {
      const { id } = await api.create('on_zhangsan', meeting('planning'));
      const res = await api.addAttendees('on_zhangsan', id, { attendeesToAdd: [{ id: 'on_lisi' }, { id: 'on_wangwu', isOptional: true }], pushNotification: false, chatNotification: false });
      assert.equal(res.statusCode, 200);
      await api.addAttendees('on_zhangsan', id, { attendeesToAdd: [{ id: 'on_lisi' }] });
      const got = await api.get('on_zhangsan', id);
      assert.deepEqual(got.attendees.map((a: any) => [a.id, a.isOptional]).sort(), [['on_lisi', false], ['on_wangwu', true], ['on_zhangsan', false]]);
      assert.equal((await api.get('on_wangwu', id)).summary, 'planning');
    });

    test('refusals: none named, over 500 per call, not of the organization, unknown event, an attendee inviting', async () => {
      const { id } = await api.create('on_zhangsan', meeting('closed', undefined, { attendees: [{ id: 'on_lisi' }] }));
      const rows: Array<[string, object, number, string, string?]> = [
        ['on_zhangsan', { attendeesToAdd: [] }, 400, 'invalidParameter', 'attendeesToAdd must name at least one attendee'],
        ['on_zhangsan', { attendeesToAdd: Array.from({ length: 501 }, () => ({ id: 'on_lisi' })) }, 400, 'invalidParameter', 'at most 500 attendees per call, got 501'],
        ['on_zhangsan', { attendeesToAdd: [{ id: 'on_hank' }] }, 400, 'invalidParameter', 'attendeesToAdd[0].id on_hank is not a user of this organization'],
        ['on_lisi', { attendeesToAdd: [{ id: 'on_wangwu' }] }, 400, 'permissionDeny'],
      ];
      for (const [user, body, status, code, message] of rows) {
        const res = await failure(api.addAttendees(user, id, body));
        assert.deepEqual([res.status, res.code], [status, code]);
        if (message) assert.equal(res.message, message);
      }
      const missing = await failure(api.addAttendees('on_zhangsan', UNKNOWN_EVENT_ID, { attendeesToAdd: [{ id: 'on_lisi' }] }));
      assert.deepEqual([missing.status, missing.code], [404, 'itemNotFound']);
    });

    test('5000 attendees an event, counted inside the add (the organizer joining counts); a refused add changes nothing', async () => {
      const { id } = await api.create('on_zhangsan', meeting('full'));
      const uid = id.slice(0, -2);
      const { store } = f.s.server.ctx;
      // 4999 addresses straight into the store: no DingTalk call invites addresses in bulk.
      await store.transact(async (w) => {
        for (let i = 0; i < 4999; i++) {
          await w.events.putAttendee({
            uid, attendeeId: `third_party_fill${String(i).padStart(11, '0')}`, type: 'third_party', email: `g${i}@example.com`, displayName: `g${i}@example.com`,
            rsvp: 'needs_action', isOptional: false, isOrganizer: false, calendarId: null, seq: 0,
          });
        }
      });
      const res = await failure(api.addAttendees('on_zhangsan', id, { attendeesToAdd: [{ id: 'on_lisi' }] }));
      assert.deepEqual([res.status, res.code, res.message], [400, 'invalidParameter', 'attendees: an event has at most 5000 attendees; this would make 5001']);
      assert.equal((await store.read((r) => r.events.attendees(uid))).length, 4999);
      await assert.rejects(api.get('on_lisi', id), (e: any) => e.code === 'itemNotFound');
    });
  });
}
