import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bornCalendar, createCalendar, deleteCalendar, grantAcl, revokeAcl, SUBSCRIPTION_LIMIT, subscribeCalendar, unsubscribeCalendar, updateCalendar,
} from '../../src/core/calendars.js';
import type { CalendarWrite, HeldCalendar } from '../../src/core/calendars.js';
import type { ChangeActor, ChangeDraft } from '../../src/core/changes.js';
import { DomainError } from '../../src/core/errors.js';
import type { Calendar, CalendarAcl, Role, Subscription } from '../../src/core/types.js';

const ALICE: ChangeActor = { tenantKey: 't', appId: 'cli_a', userId: 'alice' };
const BOT: ChangeActor = { tenantKey: 't', appId: 'cli_a' };
const SEQ = 42;

const calendar = (over: Partial<Calendar> = {}): Calendar => ({
  calendarId: 'cal_1', tenantKey: 't', type: 'shared', owner: 'u:alice', summary: 'Team', description: '', permissions: 'private',
  color: -1, isDeleted: false, createdAt: 100, seq: 1, ...over,
});
const sub = (over: Partial<Subscription> = {}): Subscription => ({
  principal: 'u:alice', calendarId: 'cal_1', summaryAlias: '', color: null, active: true, seq: 1, ...over,
});
const held = (role: Role, over: { calendar?: Partial<Calendar>; subscription?: Subscription | undefined } = {}): HeldCalendar => ({
  calendar: calendar(over.calendar), role, subscription: 'subscription' in over ? over.subscription : sub(),
});
const acl = (over: Partial<CalendarAcl> = {}): CalendarAcl => ({ aclId: 'user_x', calendarId: 'cal_1', role: 'reader', userId: 'bob', ...over });

/** A record as tests compare them: the fields the rules fix. */
const rec = (d: ChangeDraft) => ({
  object: d.object, kind: d.kind, calendarId: d.calendarId, objectId: d.objectId, audience: [...d.audience].sort(), appId: d.appId, userId: d.userId,
});
const expectRec = (object: ChangeDraft['object'], kind: ChangeDraft['kind'], objectId: string, audience: string[], actor: ChangeActor = ALICE) =>
  ({ object, kind, calendarId: 'cal_1', objectId, audience: audience.sort(), appId: actor.appId, userId: actor.userId });

const shape = (w: CalendarWrite) => ({
  calendars: w.calendars.length, subscriptions: w.subscriptions.length, acls: w.acls.length, removedAcls: w.removedAcls.length,
});
const none = { calendars: 0, subscriptions: 0, acls: 0, removedAcls: 0 };

const refused = (fn: () => unknown, kind: DomainError['kind']) =>
  assert.throws(fn, (e: unknown) => e instanceof DomainError && e.kind === kind);

describe('createCalendar', () => {
  const input = { calendarId: 'cal_1', now: 100, seq: SEQ, summary: 'Team', color: 5, summaryAlias: 'mine' };
  const cases: Array<{ name: string; actor: ChangeActor; principal: string; held: number; audience: string[]; listAudience: string[] }> = [
    { name: 'by a user', actor: ALICE, principal: 'u:alice', held: 0, audience: ['alice'], listAudience: ['alice'] },
    { name: 'by a bot: no user audience', actor: BOT, principal: 'a:cli_a', held: SUBSCRIPTION_LIMIT - 1, audience: [], listAudience: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const w = createCalendar(c.actor, c.principal, c.held, input);
      assert.deepEqual(shape(w), { ...none, calendars: 1, subscriptions: 1 });
      assert.equal(w.calendar.owner, c.principal);
      assert.equal(w.calendar.seq, SEQ);
      assert.deepEqual([w.subscription.summaryAlias, w.subscription.color, w.subscription.active], ['mine', 5, true]);
      assert.deepEqual(w.changes.map(rec), [
        expectRec('calendar', 'created', 'cal_1', c.audience, c.actor),
        expectRec('subscription', 'calendar_list_changed', 'cal_1', c.listAudience, c.actor),
      ]);
    });
  }
  test('a full list refuses', () => refused(() => createCalendar(ALICE, 'u:alice', SUBSCRIPTION_LIMIT, input), 'subscription_limit'));
});

describe('bornCalendar (seed)', () => {
  const cases: Array<{ owner: string; type: 'primary' | 'resource'; objects: string[]; audience: string[] }> = [
    { owner: 'u:alice', type: 'primary', objects: ['calendar', 'subscription'], audience: ['alice'] },
    { owner: 'a:cli_a', type: 'primary', objects: ['calendar', 'subscription'], audience: [] },
    { owner: 'r:room1', type: 'resource', objects: ['calendar'], audience: [] },
  ];
  for (const c of cases) {
    test(`${c.type} of ${c.owner}: created with no app or user actor`, () => {
      const w = bornCalendar('t', { calendarId: 'cal_1', owner: c.owner, name: 'N', type: c.type, now: 100, seq: SEQ });
      assert.deepEqual(shape(w), { ...none, calendars: 1, subscriptions: c.type === 'primary' ? 1 : 0 });
      assert.deepEqual(w.calendars[0].type, c.type);
      assert.deepEqual(w.changes.map((d) => d.object), c.objects);
      assert.deepEqual(rec(w.changes[0]), expectRec('calendar', 'created', 'cal_1', c.audience, { tenantKey: 't' }));
      for (const d of w.changes) assert.equal(d.tenantKey, 't');
    });
  }
});

describe('updateCalendar', () => {
  const cases: Array<{ name: string; role: Role; patch: object; calendars: number; subscriptions: number; records: string[] }> = [
    { name: 'owner changes the summary', role: 'owner', patch: { summary: 'New' }, calendars: 1, subscriptions: 0, records: ['calendar:updated'] },
    { name: 'reader sets their colour', role: 'reader', patch: { color: 7 }, calendars: 0, subscriptions: 1, records: ['subscription:calendar_list_changed'] },
    { name: 'owner changes both', role: 'owner', patch: { description: 'd', summaryAlias: 'a' }, calendars: 1, subscriptions: 1, records: ['calendar:updated', 'subscription:calendar_list_changed'] },
    { name: 'an empty patch writes nothing', role: 'owner', patch: {}, calendars: 0, subscriptions: 0, records: [] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const w = updateCalendar(ALICE, 'u:alice', held(c.role), c.patch, SEQ);
      assert.deepEqual(shape(w), { ...none, calendars: c.calendars, subscriptions: c.subscriptions });
      assert.deepEqual(w.changes.map((d) => `${d.object}:${d.kind}`), c.records);
      for (const d of w.changes) assert.deepEqual([d.calendarId, d.objectId, d.audience], ['cal_1', 'cal_1', ['alice']]);
    });
  }
  test('a non-owner changing shared fields is refused', () => refused(() => updateCalendar(ALICE, 'u:alice', held('writer'), { summary: 'x' }, SEQ), 'no_calendar_access'));
  test('another owner\'s calendar: the owner is in the audience too', () => {
    const w = updateCalendar(ALICE, 'u:alice', held('owner', { calendar: { owner: 'u:carol' } }), { summary: 'x' }, SEQ);
    assert.deepEqual([...w.changes[0].audience].sort(), ['alice', 'carol']);
  });
});

describe('deleteCalendar', () => {
  const cases: Array<{ name: string; h: HeldCalendar; records?: string[]; refused?: DomainError['kind'] }> = [
    { name: 'a shared calendar on the list', h: held('owner'), records: ['calendar:deleted', 'subscription:calendar_list_changed'] },
    { name: 'a shared calendar off the list', h: held('owner', { subscription: sub({ active: false }) }), records: ['calendar:deleted'] },
    { name: 'a primary calendar', h: held('owner', { calendar: { type: 'primary' } }), refused: 'invalid_calendar_type' },
    { name: 'by a writer', h: held('writer'), refused: 'no_calendar_access' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.refused) return refused(() => deleteCalendar(ALICE, c.h, SEQ), c.refused);
      const w = deleteCalendar(ALICE, c.h, SEQ);
      assert.deepEqual(shape(w), { ...none, calendars: 1 });
      assert.deepEqual([w.calendars[0].isDeleted, w.calendars[0].seq], [true, SEQ]);
      assert.deepEqual(w.changes.map((d) => `${d.object}:${d.kind}`), c.records);
    });
  }
});

describe('subscribeCalendar / unsubscribeCalendar', () => {
  const cases: Array<{ name: string; h: HeldCalendar; listed: number; writes: boolean; refused?: DomainError['kind'] }> = [
    { name: 'not on the list yet', h: held('reader', { subscription: undefined }), listed: 3, writes: true },
    { name: 'back on the list', h: held('reader', { subscription: sub({ active: false }) }), listed: 3, writes: true },
    { name: 'already on the list', h: held('reader'), listed: SUBSCRIPTION_LIMIT, writes: false },
    { name: 'a resource calendar', h: held('free_busy_reader', { calendar: { type: 'resource' }, subscription: undefined }), listed: 0, writes: true },
    { name: 'a full list', h: held('reader', { subscription: undefined }), listed: SUBSCRIPTION_LIMIT, writes: false, refused: 'subscription_limit' },
  ];
  for (const c of cases) {
    test(`subscribe: ${c.name}`, () => {
      if (c.refused) return refused(() => subscribeCalendar(ALICE, 'u:alice', c.h, c.listed, SEQ), c.refused);
      const w = subscribeCalendar(ALICE, 'u:alice', c.h, c.listed, SEQ);
      assert.equal(w.subscription?.active, true);
      assert.deepEqual(shape(w), { ...none, subscriptions: c.writes ? 1 : 0 });
      assert.deepEqual(w.changes.map(rec), c.writes ? [expectRec('subscription', 'calendar_list_changed', 'cal_1', ['alice'])] : []);
    });
  }

  const off: Array<{ name: string; cal: Calendar | undefined; s: Subscription | undefined; writes: boolean; refused?: DomainError['kind'] }> = [
    { name: 'on the list', cal: calendar(), s: sub(), writes: true },
    { name: 'not on the list', cal: calendar(), s: sub({ active: false }), writes: false },
    { name: 'someone else\'s primary', cal: calendar({ type: 'primary', owner: 'u:carol' }), s: sub(), writes: true },
    { name: 'own primary', cal: calendar({ type: 'primary' }), s: sub(), writes: false, refused: 'invalid_calendar_type' },
    { name: 'another tenant\'s', cal: calendar({ tenantKey: 'other' }), s: sub(), writes: false, refused: 'calendar_not_found' },
    { name: 'no such calendar', cal: undefined, s: undefined, writes: false, refused: 'calendar_not_found' },
  ];
  for (const c of off) {
    test(`unsubscribe: ${c.name}`, () => {
      if (c.refused) return refused(() => unsubscribeCalendar(ALICE, 'u:alice', c.cal, c.s, SEQ), c.refused);
      const w = unsubscribeCalendar(ALICE, 'u:alice', c.cal, c.s, SEQ);
      assert.deepEqual(shape(w), { ...none, subscriptions: c.writes ? 1 : 0 });
      if (c.writes) assert.deepEqual([w.subscriptions[0].active, w.subscriptions[0].seq], [false, SEQ]);
      assert.deepEqual(w.changes.map(rec), c.writes ? [expectRec('subscription', 'calendar_list_changed', 'cal_1', ['alice'])] : []);
    });
  }
});

describe('grantAcl / revokeAcl', () => {
  const grant = { role: 'writer' as const, userId: 'bob', newAclId: 'user_new' };
  const cases: Array<{ name: string; h: HeldCalendar; existing?: CalendarAcl; aclId?: string; writes: boolean; refused?: DomainError['kind'] }> = [
    { name: 'a new grant', h: held('owner'), aclId: 'user_new', writes: true },
    { name: 'a changed role keeps the grant\'s id', h: held('owner'), existing: acl(), aclId: 'user_x', writes: true },
    { name: 'the same grant again', h: held('owner'), existing: acl({ role: 'writer' }), aclId: 'user_x', writes: false },
    { name: 'by a writer', h: held('writer'), writes: false, refused: 'no_calendar_access' },
    { name: 'on a resource calendar', h: held('owner', { calendar: { type: 'resource' } }), writes: false, refused: 'invalid_calendar_type' },
  ];
  for (const c of cases) {
    test(`grant: ${c.name}`, () => {
      if (c.refused) return refused(() => grantAcl(ALICE, c.h, c.existing, grant, SEQ), c.refused);
      const w = grantAcl(ALICE, c.h, c.existing, grant, SEQ);
      assert.deepEqual([w.acl.aclId, w.acl.role, w.acl.userId], [c.aclId, 'writer', 'bob']);
      assert.deepEqual(shape(w), c.writes ? { ...none, calendars: 1, acls: 1 } : none);
      assert.deepEqual(w.changes.map(rec), c.writes ? [expectRec('acl', 'acl_created', c.aclId!, ['alice', 'bob'])] : []);
    });
  }

  const revokes: Array<{ name: string; h: HeldCalendar; found?: CalendarAcl; refused?: DomainError['kind'] }> = [
    { name: 'a grant', h: held('owner', { calendar: { owner: 'u:carol' } }), found: acl() },
    { name: 'an unknown grant', h: held('owner'), refused: 'acl_not_found' },
    { name: 'by a reader', h: held('reader'), found: acl(), refused: 'no_calendar_access' },
  ];
  for (const c of revokes) {
    test(`revoke: ${c.name}`, () => {
      if (c.refused) return refused(() => revokeAcl(ALICE, c.h, c.found, 'user_x', SEQ), c.refused);
      const w = revokeAcl(ALICE, c.h, c.found, 'user_x', SEQ);
      assert.deepEqual(shape(w), { ...none, calendars: 1, removedAcls: 1 });
      assert.equal(w.calendars[0].seq, SEQ);
      assert.deepEqual(w.changes.map(rec), [expectRec('acl', 'acl_deleted', 'user_x', ['alice', 'bob', 'carol'])]);
    });
  }
});
