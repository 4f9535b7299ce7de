import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../helpers/stores.js';
import { $Calendar, at, calls, dingtalkFixture, failure, HOUR, iso, meeting, runtime, UNKNOWN_EVENT_ID } from './fixtures.js';
import type { DingtalkFixture } from './fixtures.js';

const utc = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');

/** AddMeetingRooms, RemoveMeetingRooms, GetMeetingRoomsSchedule and MeetingRoomRespond, and the one schedule a room keeps across both dialects. */
for (const kind of STORES) {
  describe(`${kind}: DingTalk meeting rooms`, () => {
    let f: DingtalkFixture;
    let api: ReturnType<typeof calls>;
    let c: any;
    before(async () => {
      f = await dingtalkFixture(kind);
      api = calls(f);
      c = f.client;
    });
    after(() => f.close());

    const add = (user: string, eventId: string, roomIds: Array<string | undefined>, o?: { token?: string; clientToken?: string }) =>
      c.addMeetingRoomsWithOptions(user, 'primary', eventId, new $Calendar.AddMeetingRoomsRequest({ meetingRoomsToAdd: roomIds.map((roomId) => ({ roomId })) }), f.headers('AddMeetingRooms', o), runtime());
    const remove = (user: string, eventId: string, roomIds: string[]) =>
      c.removeMeetingRoomsWithOptions(user, 'primary', eventId, new $Calendar.RemoveMeetingRoomsRequest({ meetingRoomsToRemove: roomIds.map((roomId) => ({ roomId })) }), f.headers('RemoveMeetingRooms'), runtime());
    const respond = (user: string, eventId: string, roomId: string, responseStatus?: string) =>
      // The SDK takes calendarId before userId here.
      c.meetingRoomRespondWithOptions('primary', user, eventId, roomId, new $Calendar.MeetingRoomRespondRequest({ responseStatus }), f.headers('MeetingRoomRespond'), runtime());
    const schedule = async (user: string, body: object) =>
      JSON.parse(JSON.stringify((await c.getMeetingRoomsScheduleWithOptions(user, new $Calendar.GetMeetingRoomsScheduleRequest(body), f.headers('GetMeetingRoomsSchedule'), runtime())).body));
    const roomsOf = async (user: string, eventId: string) => (await api.get(user, eventId)).meetingRooms ?? [];
    const feishuBusy = async (roomId: string, from: number, to: number) => {
      const res = await f.s.lark().calendar.v4.freebusy.list({ data: { time_min: utc(from), time_max: utc(to), room_id: roomId } });
      assert.equal(res.code, 0, res.msg);
      return (res.data!.freebusy_list ?? []).map((b) => [Date.parse(b.start_time) / 1000, Date.parse(b.end_time) / 1000]);
    };

    test('AddMeetingRooms books rooms: the event lists them accepted; the same room twice is booked once', async () => {
      const { id } = await api.create('on_zhangsan', meeting('booked', at(0, 10)));
      const res = await add('on_zhangsan', id, ['omm_room1', 'omm_room2', 'omm_room1']);
      assert.equal(res.statusCode, 200);
      assert.equal(res.body.result, true);
      // Listed in attendee-id order, which is random: compare by room.
      const byRoom = (rooms: any[]) => [...rooms].sort((a, b) => a.roomId.localeCompare(b.roomId));
      assert.deepEqual(byRoom(await roomsOf('on_zhangsan', id)), [
        { roomId: 'omm_room1', displayName: 'Room 1', responseStatus: 'accepted' },
        { roomId: 'omm_room2', displayName: 'Room 2', responseStatus: 'accepted' },
      ]);
      await add('on_zhangsan', id, ['omm_room1']);
      assert.equal((await roomsOf('on_zhangsan', id)).length, 2);
    });

    test('AddMeetingRooms refusals name the field and change nothing', async () => {
      const { id } = await api.create('on_zhangsan', meeting('refused', at(0, 13), { attendees: [{ id: 'on_lisi' }] }));
      const none = await failure(add('on_zhangsan', id, []));
      assert.deepEqual([none.status, none.code], [400, 'invalidParameter']);
      assert.match(none.message, /meetingRoomsToAdd/);
      const unknown = await failure(add('on_zhangsan', id, ['omm_room1', 'omm_nope']));
      assert.equal(unknown.code, 'invalidParameter');
      assert.match(unknown.message, /meetingRoomsToAdd\[1\]\.roomId omm_nope/);
      const blank = await failure(add('on_zhangsan', id, [undefined]));
      assert.match(blank.message, /meetingRoomsToAdd\[0\]\.roomId/);
      const six = await failure(add('on_zhangsan', id, Array.from({ length: 6 }, () => 'omm_room1')));
      assert.match(six.message, /at most 5 rooms/);
      assert.deepEqual(await roomsOf('on_zhangsan', id), []);
      // An attendee may not book for an event that does not let attendees invite; an unknown event is itemNotFound.
      const denied = await failure(add('on_lisi', id, ['omm_room1']));
      assert.deepEqual([denied.status, denied.code], [400, 'permissionDeny']);
      assert.equal((await failure(add('on_zhangsan', UNKNOWN_EVENT_ID, ['omm_room1']))).code, 'itemNotFound');
      assert.deepEqual(await roomsOf('on_zhangsan', id), []);
    });

    test('AddMeetingRooms with x-client-token: a replay answers the same and books nothing more; another request under it is refused', async () => {
      const { id } = await api.create('on_zhangsan', meeting('idempotent', at(4, 10)));
      const first = await add('on_zhangsan', id, ['omm_room1'], { clientToken: 'rooms-once' });
      const again = await add('on_zhangsan', id, ['omm_room1'], { clientToken: 'rooms-once' });
      assert.deepEqual([first.body.result, again.body.result], [true, true]);
      assert.equal((await roomsOf('on_zhangsan', id)).length, 1);
      const other = await failure(add('on_zhangsan', id, ['omm_room2'], { clientToken: 'rooms-once' }));
      assert.deepEqual([other.status, other.code], [409, 'invalidRequest.duplicateClientToken']);
      assert.deepEqual((await roomsOf('on_zhangsan', id)).map((r: any) => r.roomId), ['omm_room1']);
    });

    test('RemoveMeetingRooms frees a room; a room the event does not hold is passed over; an attendee may not remove', async () => {
      const { id } = await api.create('on_zhangsan', meeting('trimmed', at(0, 16), { attendees: [{ id: 'on_lisi' }] }));
      await add('on_zhangsan', id, ['omm_room1', 'omm_room2']);
      const denied = await failure(remove('on_lisi', id, ['omm_room1']));
      assert.equal(denied.code, 'permissionDeny');
      const res = await remove('on_zhangsan', id, ['omm_room1']);
      assert.equal(res.body.result, true);
      assert.deepEqual((await roomsOf('on_zhangsan', id)).map((r: any) => r.roomId), ['omm_room2']);
      await remove('on_zhangsan', id, ['omm_room1']);
      assert.deepEqual(await feishuBusy('omm_room1', at(0, 16), at(0, 17)), []);
      const bad = await failure(remove('on_zhangsan', id, ['omm_nope']));
      assert.deepEqual([bad.code, /meetingRoomsToRemove\[0\]\.roomId/.test(bad.message)], ['invalidParameter', true]);
    });

    test('a room booked through AddMeetingRooms is busy in Feishu freebusy and in GetMeetingRoomsSchedule', async () => {
      const { id } = await api.create('on_zhangsan', meeting('cross booked', at(1, 10)));
      await add('on_zhangsan', id, ['omm_room2']);
      assert.deepEqual(await feishuBusy('omm_room2', at(1, 0), at(2, 0)), [[at(1, 10), at(1, 11)]]);
      const res = await schedule('on_wangwu', { roomIds: ['omm_room2', 'omm_room1'], startTime: utc(at(1, 0)).replace(':00Z', 'Z'), endTime: iso(at(2, 0)) });
      assert.deepEqual(res.scheduleInformation, [
        { roomId: 'omm_room2', scheduleItems: [{ status: 'BUSY', eventId: id, organizer: { id: 'on_zhangsan' }, start: { dateTime: iso(at(1, 10)), timeZone: 'Asia/Shanghai' }, end: { dateTime: iso(at(1, 11)), timeZone: 'Asia/Shanghai' } }] },
        { roomId: 'omm_room1', scheduleItems: [] },
      ]);
    });

    test('a room booked through Feishu is busy in GetMeetingRoomsSchedule; a second booking of a held room is booked too', async () => {
      const client = f.s.lark();
      const lisi = lark.withUserAccessToken(await f.s.userToken('lisi'));
      const made = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' }, data: { summary: 'feishu booked', start_time: { timestamp: String(at(2, 14)) }, end_time: { timestamp: String(at(2, 15)) } },
      }, lisi);
      assert.equal(made.code, 0, made.msg);
      const eventId = made.data!.event!.event_id;
      const calendarId = (await client.calendar.v4.calendar.primary({}, lisi)).data!.calendars![0].calendar!.calendar_id;
      const invited = await client.calendar.v4.calendarEventAttendee.create({ path: { calendar_id: calendarId, event_id: eventId }, data: { attendees: [{ type: 'resource', room_id: 'omm_room1' }] } }, lisi);
      assert.equal(invited.code, 0, invited.msg);
      // The platform documents no refusal of a held room (docs/compatibility.md): a DingTalk booking overlapping it is booked as well.
      const { id } = await api.create('on_zhangsan', meeting('overlapping', at(2, 14) + HOUR / 2));
      await add('on_zhangsan', id, ['omm_room1']);
      const res = await schedule('on_zhangsan', { roomIds: ['omm_room1', 'omm_room1', 'omm_elsewhere'], startTime: iso(at(2, 0)), endTime: iso(at(3, 0)) });
      assert.deepEqual(res.scheduleInformation.map((r: any) => [r.roomId, r.scheduleItems.map((i: any) => [i.status, i.eventId, i.organizer?.id, i.start.dateTime]), typeof r.error]), [
        ['omm_room1', [['BUSY', eventId, 'on_lisi', iso(at(2, 14))], ['BUSY', id, 'on_zhangsan', iso(at(2, 14) + HOUR / 2)]], 'undefined'],
        ['omm_elsewhere', [], 'string'],
      ]);
    });

    test('GetMeetingRoomsSchedule refusals name the field', async () => {
      const cases: Array<[object, RegExp]> = [
        [{ startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) }, /roomIds/],
        [{ roomIds: [], startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) }, /roomIds/],
        [{ roomIds: Array.from({ length: 21 }, (_, i) => `omm_${i}`), startTime: iso(at(0, 0)), endTime: iso(at(1, 0)) }, /roomIds/],
        [{ roomIds: ['omm_room1'], startTime: 'today', endTime: iso(at(1, 0)) }, /startTime/],
        [{ roomIds: ['omm_room1'], startTime: iso(at(0, 0)) }, /endTime/],
        [{ roomIds: ['omm_room1'], startTime: iso(at(1, 0)), endTime: iso(at(0, 0)) }, /endTime/],
        [{ roomIds: ['omm_room1'], startTime: iso(at(0, 0)), endTime: iso(at(91, 0)) }, /90 days/],
      ];
      for (const [body, field] of cases) {
        const e = await failure(schedule('on_zhangsan', body));
        assert.deepEqual([e.status, e.code], [400, 'invalidParameter'], JSON.stringify(body));
        assert.match(e.message, field);
      }
    });

    test('MeetingRoomRespond: tentative shows TENTATIVE, declined frees the room in both dialects; refusals', async () => {
      const { id } = await api.create('on_zhangsan', meeting('approval', at(3, 9), { attendees: [{ id: 'on_lisi' }] }));
      await add('on_zhangsan', id, ['omm_room2']);
      const window = { roomIds: ['omm_room2'], startTime: iso(at(3, 0)), endTime: iso(at(4, 0)) };
      const pending = await respond('on_zhangsan', id, 'omm_room2', 'tentative');
      assert.equal(pending.body.result, true);
      assert.deepEqual(await roomsOf('on_zhangsan', id), [{ roomId: 'omm_room2', displayName: 'Room 2', responseStatus: 'tentative' }]);
      assert.equal((await schedule('on_zhangsan', window)).scheduleInformation[0].scheduleItems[0].status, 'TENTATIVE');
      await respond('on_zhangsan', id, 'omm_room2', 'declined');
      assert.deepEqual((await schedule('on_zhangsan', window)).scheduleInformation[0].scheduleItems, []);
      assert.deepEqual(await feishuBusy('omm_room2', at(3, 0), at(4, 0)), []);
      await respond('on_zhangsan', id, 'omm_room2', 'accepted');
      assert.deepEqual(await feishuBusy('omm_room2', at(3, 0), at(4, 0)), [[at(3, 9), at(3, 10)]]);

      const status = await failure(respond('on_zhangsan', id, 'omm_room2', 'needsAction'));
      assert.deepEqual([status.code, /responseStatus/.test(status.message)], ['invalidParameter', true]);
      assert.equal((await failure(respond('on_zhangsan', id, 'omm_room2'))).code, 'invalidParameter');
      const notBooked = await failure(respond('on_zhangsan', id, 'omm_room1', 'accepted'));
      assert.deepEqual([notBooked.code, /roomId/.test(notBooked.message)], ['invalidParameter', true]);
      assert.equal((await failure(respond('on_lisi', id, 'omm_room2', 'declined'))).code, 'permissionDeny');
      assert.equal((await failure(respond('on_zhangsan', UNKNOWN_EVENT_ID, 'omm_room2', 'accepted'))).code, 'itemNotFound');
      assert.deepEqual(await roomsOf('on_zhangsan', id), [{ roomId: 'omm_room2', displayName: 'Room 2', responseStatus: 'accepted' }]);
    });
  });
}
