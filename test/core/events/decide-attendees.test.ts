// The attendee write decisions as tables: who is added or removed, what is saved, which records follow.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chatInvitation, emailInvitation, userInvitation } from '../../../src/core/events/attendees.js';
import type { Invitation } from '../../../src/core/events/attendees.js';
import { attendeesToRemove, decideAttendeeAdd, decideAttendeeRemoval, decideReply } from '../../../src/core/events/decide-attendees.js';
import type { AddContext } from '../../../src/core/events/decide-attendees.js';
import { DomainError } from '../../../src/core/errors.js';
import type { User } from '../../../src/core/types.js';
import { attendee, guest, home, organizer, row, shapes, UID } from './fixtures.js';

const user = (id: string): User => ({ id, tenantKey: 't', name: id } as User);
const org = { calendarId: 'c-org', userId: 'org' };
const invite = (id: string): Invitation => userInvitation(user(id), org, `c-${id}`);
const chat = chatInvitation({ chatId: 'oc_team', tenantKey: 't', name: 'Team', memberIds: ['lisi', 'wangwu'] });
const ids = () => {
  let n = 0;
  return (type: string) => `${type}_${++n}`;
};
const E = `${UID}_0`;

describe('decideAttendeeAdd', () => {
  const base = (over: Partial<AddContext>): AddContext => ({
    actor: organizer, event: row(), home, named: [], extra: [], chatMembers: new Map(), attendees: [], series: [row()],
    meetingUrl: 'https://vc.example/j/1', maxPerEvent: undefined, newId: ids(), ...over,
  });
  const cases: Array<{ name: string; c: Partial<AddContext>; out: string[]; puts: string[]; deletes: string[]; records: string[] }> = [
    {
      name: 'someone already invited: answered as they are, nothing written',
      c: { named: [invite('lisi')], attendees: [attendee('lisi')] }, out: ['lisi'], puts: [], deletes: [], records: [],
    },
    {
      name: 'a new user: the event appears in their calendar; the organizer joins too',
      c: { named: [invite('lisi')], extra: [userInvitation(user('org'), org, null)] }, out: ['user_1', 'user_2'], puts: ['user_1 lisi', 'user_2 org'], deletes: [],
      records: [
        `c-lisi event created ${E} @0`, `c-org event updated ${E} @0`,
        'c-org attendee attendee_added user_1', 'c-org attendee attendee_added user_2',
      ],
    },
    {
      name: 'a chat brings its members in through it',
      c: { named: [chat], chatMembers: new Map([[chat.key, [invite('lisi')]]]) }, out: ['chat_1'], puts: ['chat_1 undefined', 'user_2 lisi'], deletes: [],
      records: [
        `c-lisi event created ${E} @0`, `c-org event updated ${E} @0`,
        'c-org attendee attendee_added chat_1', 'c-org attendee attendee_added user_2',
      ],
    },
    {
      name: 'an email address shows the event in no calendar',
      c: { named: [emailInvitation('a@b.example')] }, out: ['third_party_1'], puts: ['third_party_1 undefined'], deletes: [],
      records: [`c-org event updated ${E} @0`, 'c-org attendee attendee_added third_party_1'],
    },
  ];
  for (const k of cases) {
    test(k.name, () => {
      const d = decideAttendeeAdd(base(k.c));
      assert.deepEqual(d.out.map((a) => a.attendeeId), k.out);
      assert.deepEqual(d.puts.map((a) => `${a.attendeeId} ${a.userId}`), k.puts);
      assert.deepEqual(d.deletes.map((a) => a.attendeeId), k.deletes);
      assert.deepEqual(shapes(d.changes), [...k.records].sort());
    });
  }
  test('someone invited through a chat keeps their answer when invited in their own right', () => {
    const via = attendee('lisi-via', { userId: 'lisi', viaChat: 'chat_x', rsvp: 'accept' });
    const d = decideAttendeeAdd(base({ named: [invite('lisi')], attendees: [attendee('chat_x', { type: 'chat', chatId: 'oc_team', calendarId: null }), via] }));
    assert.deepEqual(d.deletes, [via]);
    assert.equal(d.puts[0].rsvp, 'accept');
  });
  test('the first attendees give an event without a meeting its url', () => {
    assert.equal(decideAttendeeAdd(base({ named: [invite('lisi')] })).rows[0].vchat?.meetingUrl, 'https://vc.example/j/1');
    assert.equal(decideAttendeeAdd(base({ named: [invite('lisi')], attendees: [attendee('wangwu')] })).rows[0].vchat, null);
  });
  test('over the per-event ceiling: refused', () => {
    assert.throws(() => decideAttendeeAdd(base({ named: [invite('lisi'), invite('wangwu')], attendees: [attendee('x')], maxPerEvent: 2 })), DomainError);
  });
});

describe('attendee removal', () => {
  const lisi = attendee('lisi');
  const team = attendee('chat_1', { type: 'chat', chatId: 'oc_team', userId: undefined, calendarId: null });
  const wangwuVia = attendee('wangwu-via', { userId: 'wangwu', viaChat: 'chat_1', calendarId: 'c-wangwu' });
  const all = [lisi, team, wangwuVia];
  test('an unknown attendee id or person is refused, naming which', () => {
    assert.throws(() => attendeesToRemove(all, ['nobody'], []), (e: unknown) => e instanceof DomainError && e.field === 'attendeeIds[0]');
    assert.throws(() => attendeesToRemove(all, [], [{ type: 'user', userId: 'zhouba' }]), (e: unknown) => e instanceof DomainError && e.field === 'attendeeRefs[0]');
  });
  const cases: Array<{ name: string; doomed: string[]; members: string[]; deletes: string[]; puts: string[]; left: string[]; records: string[] }> = [
    {
      name: 'a user: the series leaves their calendar',
      doomed: ['lisi'], members: [], deletes: ['lisi'], puts: [], left: ['c-lisi'],
      records: [`c-lisi event deleted ${E} @0`, `c-org event updated ${E} @0`, `c-wangwu event updated ${E} @0`, 'c-org attendee attendee_removed lisi'],
    },
    {
      name: 'a chat takes its members with it',
      doomed: ['chat_1'], members: [], deletes: ['chat_1', 'wangwu-via'], puts: [], left: ['c-wangwu'],
      records: [
        `c-wangwu event deleted ${E} @0`, `c-org event updated ${E} @0`, `c-lisi event updated ${E} @0`,
        'c-org attendee attendee_removed chat_1', 'c-org attendee attendee_removed wangwu-via',
      ],
    },
    {
      name: 'a user in a chat still invited stays invited through it',
      doomed: ['lisi'], members: ['lisi', 'wangwu'], deletes: ['lisi'], puts: ['user_1 lisi via chat_1'], left: [],
      records: [
        `c-org event updated ${E} @0`, `c-lisi event updated ${E} @0`, `c-wangwu event updated ${E} @0`,
        'c-org attendee attendee_removed lisi', 'c-org attendee attendee_added user_1',
      ],
    },
  ];
  for (const k of cases) {
    test(k.name, () => {
      const d = decideAttendeeRemoval({
        actor: organizer, event: row(), home, doomed: all.filter((a) => k.doomed.includes(a.attendeeId)), attendees: all, series: [row()],
        chatMembers: new Map([['oc_team', k.members]]), newId: ids(),
      });
      assert.deepEqual(d.deletes.map((a) => a.attendeeId), k.deletes);
      assert.deepEqual(d.puts.map((a) => `${a.attendeeId} ${a.userId} via ${a.viaChat}`), k.puts);
      assert.deepEqual(d.leftCalendars, k.left);
      assert.deepEqual(shapes(d.changes), [...k.records].sort());
    });
  }
});

describe('decideReply', () => {
  test('only an invited user may reply', () => {
    assert.throws(() => decideReply({ actor: guest, home, attendees: [attendee('lisi')], series: [row()], rsvp: 'accept' }), DomainError);
  });
  test('every invitation the user holds is answered; replied once each, on the organizer\'s calendar', () => {
    const mine = [attendee('guest'), attendee('guest-via', { userId: 'guest', viaChat: 'chat_1', calendarId: 'c-guest' })];
    const d = decideReply({ actor: guest, home, attendees: [...mine, attendee('lisi')], series: [row(), row({ originalStart: 5, status: 'cancelled' })], rsvp: 'decline' });
    assert.deepEqual(d.puts.map((a) => `${a.attendeeId} ${a.rsvp}`), ['guest decline', 'guest-via decline']);
    assert.equal(d.rows.length, 1, 'a cancelled row is not touched');
    assert.deepEqual(shapes(d.changes).filter((s) => s.includes(' event ')), [`c-guest event updated ${E} @0`, `c-lisi event updated ${E} @0`, `c-org event updated ${E} @0`]);
    assert.deepEqual(shapes(d.changes).filter((s) => s.includes(' replied ')), ['c-org attendee replied guest', 'c-org attendee replied guest-via']);
  });
  test('replying after taking the event off one\'s calendar brings it back there', () => {
    const d = decideReply({ actor: guest, home, attendees: [attendee('guest', { rsvp: 'removed' })], series: [row()], rsvp: 'accept' });
    assert.ok(shapes(d.changes).includes(`c-guest event created ${E} @0`));
  });
});
