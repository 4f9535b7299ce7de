import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeRecord } from '../../src/core/changes.js';
import { decideDingtalkPushes } from '../../src/core/push/dingtalk-pushes.js';

const record = (seq: number, over: Partial<ChangeRecord> = {}): ChangeRecord => ({
  seq, at: 1_000 + seq, tenantKey: 'acme', userId: 'u1', calendarId: 'cal1', object: 'event', objectId: `e${seq}_0`, kind: 'created', audience: ['u2', 'u1'], ...over,
});

test('DingTalk apps hear every event change of their own tenant past their cursor, without subscriptions', () => {
  const records = [
    record(1),
    record(2, { kind: 'updated' }),
    record(3, { kind: 'deleted', tenantKey: 'globex' }),
    record(4, { object: 'attendee', kind: 'replied' }),
    record(5, { object: 'acl', kind: 'acl_created' }),
    record(6, { kind: 'deleted', userId: undefined }),
  ];
  const intents = decideDingtalkPushes(records, [
    { appId: 'dingacme', tenantKey: 'acme', cursor: 1, platform: 'dingtalk' },
    { appId: 'dingglobex', tenantKey: 'globex', cursor: 0, platform: 'dingtalk' },
  ]);
  assert.deepEqual(intents.map((i) => [i.appId, i.seq, i.type === 'event_changed' ? i.changeType : i.type, i.subscribers.join(',')]), [
    ['dingacme', 2, 'update', 'u1,u2'],
    ['dingglobex', 3, 'delete', 'u1,u2'],
    ['dingacme', 6, 'delete', 'u1,u2'],
  ]);
  assert.deepEqual(intents.map((i) => (i.type === 'event_changed' ? i.actorUserId : undefined)), ['u1', 'u1', undefined]);
});
