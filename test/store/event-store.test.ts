import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Attendee } from '../../src/core/events/types.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { freshLocation, STORES } from '../helpers/stores.js';

const uidOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function attendee(uid: string, attendeeId: string, fields: Partial<Attendee>): Attendee {
  return {
    uid, attendeeId, type: 'user', displayName: '', rsvp: 'needs_action', isOptional: false, isOrganizer: false, calendarId: null, seq: 1,
    ...fields,
  };
}

for (const kind of STORES) {
  describe(`${kind}: event store batch reads`, () => {
    let store: OpenedStore;
    let drop: () => Promise<void>;
    // 1,200 events: more than the 500 bound parameters a read takes at once.
    const uids = Array.from({ length: 1200 }, (_, i) => uidOf(i));

    before(async () => {
      const fresh = await freshLocation(kind);
      drop = fresh.drop;
      store = await openStore(fresh.location);
      await store.transact(async (w) => {
        for (const [i, uid] of uids.entries()) {
          if (i % 3 === 0) await w.events.putPersonalView({ uid, principal: 'u:alice', color: i });
          if (i % 4 === 0) await w.events.putPersonalView({ uid, principal: 'u:bob', color: -i });
          if (i % 5 === 0) {
            // Two entries for alice on the same event: one through a chat (attendee id sorts first), one direct.
            await w.events.putAttendee(attendee(uid, '0_chatmember', { userId: 'alice', viaChat: 'c_x', rsvp: 'accept' }));
            await w.events.putAttendee(attendee(uid, '1_direct', { userId: 'alice', rsvp: 'decline' }));
          }
          if (i % 7 === 0) await w.events.putAttendee(attendee(uid, '2_room', { type: 'resource', roomId: 'r1', userId: undefined }));
        }
      });
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    test('viewerState without a match key returns exactly the principal\'s views of the events asked for, across chunks', async () => {
      const asked = uids.filter((_, i) => i % 2 === 0);
      const views = (await store.read((r) => r.events.viewerState(asked, 'u:alice', undefined))).personal;
      const expected = uids.filter((_, i) => i % 2 === 0 && i % 3 === 0);
      assert.deepEqual(views.map((v) => v.uid).sort(), expected.sort());
      for (const v of views) {
        assert.equal(v.principal, 'u:alice');
        assert.equal(v.color, uids.indexOf(v.uid));
      }
      assert.deepEqual(await store.read((r) => r.events.viewerState([], 'u:alice', 'u:alice')), { personal: [], attendees: [] });
    });

    test('viewerState returns one invitee\'s entries (a user\'s or a room\'s), ordered by attendee id within an event', async () => {
      const found = (await store.read((r) => r.events.viewerState(uids, 'u:alice', 'u:alice'))).attendees;
      const expectedUids = uids.filter((_, i) => i % 5 === 0);
      assert.equal(found.length, expectedUids.length * 2);
      const byUid = new Map<string, string[]>();
      for (const a of found) byUid.set(a.uid, [...(byUid.get(a.uid) ?? []), a.attendeeId]);
      assert.deepEqual([...byUid.keys()].sort(), expectedUids.sort());
      for (const ids of byUid.values()) assert.deepEqual(ids, ['0_chatmember', '1_direct']);
      const rooms = (await store.read((r) => r.events.viewerState(uids.slice(0, 100), 'r:r1', 'r:r1'))).attendees;
      assert.deepEqual(rooms.map((a) => a.uid), uids.slice(0, 100).filter((_, i) => i % 7 === 0));
      assert.deepEqual((await store.read((r) => r.events.viewerState(uids, 'u:nobody', 'u:nobody'))).attendees, []);
    });

    test('viewerState returns a viewer\'s personal views and own entries in one read, across chunks', async () => {
      const asked = uids.filter((_, i) => i % 2 === 0);
      const state = await store.read((r) => r.events.viewerState(asked, 'u:alice', 'u:alice'));
      assert.deepEqual(state.personal.map((v) => v.uid).sort(), uids.filter((_, i) => i % 2 === 0 && i % 3 === 0).sort());
      assert.ok(state.personal.every((v) => v.principal === 'u:alice' && v.color === uids.indexOf(v.uid)));
      assert.deepEqual(state.attendees.map((a) => `${a.uid}/${a.attendeeId}`),
        uids.filter((_, i) => i % 2 === 0 && i % 5 === 0).flatMap((uid) => [`${uid}/0_chatmember`, `${uid}/1_direct`]));
      const appView = await store.read((r) => r.events.viewerState(asked, 'u:bob', undefined));
      assert.deepEqual(appView.attendees, []);
      assert.deepEqual(appView.personal.map((v) => v.uid).sort(), uids.filter((_, i) => i % 2 === 0 && i % 4 === 0).sort());
    });

    test('attendeesOf returns every attendee of the events asked for, by event then attendee id, across chunks', async () => {
      const found = await store.read((r) => r.events.attendeesOf(uids));
      const expected = uids.flatMap((uid, i) => [
        ...(i % 5 === 0 ? [`${uid}/0_chatmember`, `${uid}/1_direct`] : []),
        ...(i % 7 === 0 ? [`${uid}/2_room`] : []),
      ]);
      assert.deepEqual(found.map((a) => `${a.uid}/${a.attendeeId}`), expected);
      const one = await store.read((r) => r.events.attendeesOf([uids[35]]));
      assert.deepEqual(one, await store.read((r) => r.events.attendees(uids[35])));
      assert.deepEqual(await store.read((r) => r.events.attendeesOf([])), []);
    });
  });
}
