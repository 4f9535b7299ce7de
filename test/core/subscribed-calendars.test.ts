import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSubscribedCalendar, reaches, requireSubscribed, subscribeToCalendar, unsubscribeFromCalendar, updateSubscribedCalendar } from '../../src/core/subscribed-calendars.js';
import { DomainError } from '../../src/core/errors.js';

const author = { tenantKey: 't', appId: 'app', userId: 'a' };
let n = 0;
const newAclId = () => `acl${++n}`;
const made = createSubscribedCalendar(author, {
  calendarId: 'cal', name: ' Releases ', managers: ['m'], scope: { userIds: ['u'], chatIds: ['chat'], tenantKeys: [] }, now: 0, seq: 1, newAclId,
});
const held = requireSubscribed(author, made.calendars[0], made.info);
const kindOf = (f: () => unknown) => {
  try {
    f();
    return 'accepted';
  } catch (e) {
    assert.ok(e instanceof DomainError);
    return e.kind;
  }
};

describe('subscribed calendar decisions', () => {
  test('create: a private shared calendar of the author, managers with writer ACLs, on the author\'s list', () => {
    assert.deepEqual([made.calendars[0].type, made.calendars[0].owner, made.calendars[0].summary, made.calendars[0].permissions], ['shared', 'u:a', 'Releases', 'private']);
    assert.deepEqual(made.info.managers, ['a', 'm']);
    assert.deepEqual(made.acls.map((a) => [a.userId, a.role]), [['m', 'writer']]);
    assert.deepEqual(made.subscriptions.map((s) => s.principal), ['u:a']);
    assert.deepEqual(made.changes.map((c) => `${c.object} ${c.kind}`), ['calendar created', 'subscription calendar_list_changed', 'acl acl_created']);
    assert.equal(kindOf(() => createSubscribedCalendar(author, { calendarId: 'x', name: '', now: 0, seq: 1, newAclId })), 'invalid_argument');
  });

  test('reach: managers, named users, chat members, whole tenants', () => {
    const chats = new Map([['chat', ['c1']]]);
    const who = (id: string, tenantKey = 't') => reaches(held, { id, tenantKey }, chats);
    assert.deepEqual(['a', 'm', 'u', 'c1', 'x'].map((id) => who(id)), [true, true, true, true, false]);
    const org = { ...held, info: { ...held.info, scope: { userIds: [], chatIds: [], tenantKeys: ['t'] } } };
    assert.equal(reaches(org, { id: 'x', tenantKey: 't' }, new Map()), true);
  });

  test('update: managers only; managers changed move writer ACLs', () => {
    const mAcl = made.acls[0];
    const next = updateSubscribedCalendar({ ...author, userId: 'm' }, held, { managers: ['z'] }, new Map([['m', mAcl]]), newAclId, 2);
    assert.deepEqual(next.info.managers, ['a', 'z']);
    assert.deepEqual(next.acls.map((a) => [a.userId, a.role]), [['z', 'writer']]);
    assert.deepEqual(next.removedAcls.map((a) => a.userId), ['m']);
    assert.equal(kindOf(() => updateSubscribedCalendar({ ...author, userId: 'u' }, held, { name: 'x' }, new Map(), newAclId, 2)), 'no_calendar_access');
  });

  test('subscribe: reached users get a reader ACL and a list entry; unsubscribe takes both', () => {
    const actor = { ...author, userId: 'u' };
    assert.equal(kindOf(() => subscribeToCalendar(actor, held, { subscription: undefined, acl: undefined, reached: false }, 'acl', 3)), 'no_calendar_access');
    const on = subscribeToCalendar(actor, held, { subscription: undefined, acl: undefined, reached: true }, 'acl9', 3);
    assert.deepEqual([on.subscriptions.map((s) => [s.principal, s.active]), on.acls.map((a) => [a.userId, a.role])], [[['u:u', true]], [['u', 'reader']]]);
    const off = unsubscribeFromCalendar(actor, held, { subscription: on.subscriptions[0], acl: on.acls[0] }, 4);
    assert.deepEqual([off.subscriptions.map((s) => s.active), off.removedAcls.map((a) => a.aclId)], [[false], ['acl9']]);
    assert.deepEqual(subscribeToCalendar(actor, held, { subscription: on.subscriptions[0], acl: on.acls[0], reached: true }, 'acl', 5).changes, []);
  });

  test('a deleted or plain calendar is no subscribed calendar', () => {
    assert.equal(kindOf(() => requireSubscribed(author, { ...made.calendars[0], isDeleted: true }, made.info)), 'calendar_not_found');
    assert.equal(kindOf(() => requireSubscribed(author, made.calendars[0], undefined)), 'calendar_not_found');
  });
});
