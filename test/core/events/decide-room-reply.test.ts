// A room's answer to its booking as a table: who may answer, what is saved, which records follow.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideRoomReply } from '../../../src/core/events/decide-room-reply.js';
import type { RoomReplyContext } from '../../../src/core/events/decide-room-reply.js';
import { DomainError } from '../../../src/core/errors.js';
import { attendee, home, organizer, row, shapes, UID } from './fixtures.js';

const E = `${UID}_0`;
const room = (id: string, roomId: string) => attendee(id, { type: 'resource', userId: undefined, roomId, rsvp: 'accept', calendarId: `c-${roomId}` });

describe('decideRoomReply', () => {
  const base = (over: Partial<RoomReplyContext>): RoomReplyContext => ({
    actor: organizer, side: 'organizer', home, attendees: [attendee('lisi'), room('resource_1', 'omm_room1'), room('resource_2', 'omm_room2')],
    series: [row()], roomId: 'omm_room1', rsvp: 'decline', ...over,
  });
  const refusals: Array<{ name: string; c: Partial<RoomReplyContext>; kind: string }> = [
    { name: 'an attendee side may not answer for a room', c: { side: 'attendee' }, kind: 'no_event_permission' },
    { name: 'a room the event does not hold', c: { roomId: 'omm_room9' }, kind: 'invalid_argument' },
  ];
  for (const k of refusals) {
    test(k.name, () => {
      assert.throws(() => decideRoomReply(base(k.c)), (e: unknown) => e instanceof DomainError && e.kind === k.kind);
    });
  }
  test('only that room takes the answer; the event is updated where it shows; one replied record on the organizer\'s calendar', () => {
    const d = decideRoomReply(base({ series: [row(), row({ originalStart: 5, status: 'cancelled' })] }));
    assert.deepEqual(d.puts.map((a) => `${a.attendeeId} ${a.rsvp}`), ['resource_1 decline']);
    assert.deepEqual(d.deletes, []);
    assert.equal(d.rows.length, 1, 'a cancelled row is not touched');
    assert.deepEqual(shapes(d.changes).filter((s) => s.includes(' replied ')), ['c-org attendee replied resource_1']);
    assert.ok(shapes(d.changes).includes(`c-omm_room1 event updated ${E} @0`));
  });
});
