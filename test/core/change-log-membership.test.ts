import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeKind, ChangeObject, ChangeRecord } from '../../src/core/changes.js';
import { rebuildMembership } from '../helpers/change-log-membership.js';

/** A record in calendar `c` at `seq`: object and kind, object id, uid and instance start. */
const r = (seq: number, c: string, object: ChangeObject, kind: ChangeKind, objectId: string, uid?: string, instanceStart?: number): ChangeRecord => ({
  seq, at: 0, tenantKey: 't', calendarId: c, object, kind, objectId, audience: [],
  ...(uid !== undefined ? { uid, instanceStart: instanceStart ?? 0 } : {}),
});

// The rebuild rule the change-log rebuild test replays with, checked on its own so that a failure there is the log's.
const cases: Array<{ name: string; records: ChangeRecord[]; shown: Record<string, string[]>; deleted?: string[] }> = [
  { name: 'created, then updated: present once', records: [r(1, 'A', 'event', 'created', 'e_0', 'e'), r(2, 'A', 'event', 'updated', 'e_0', 'e')], shown: { A: ['e_0'] } },
  { name: 'deleted: absent', records: [r(1, 'A', 'event', 'created', 'e_0', 'e'), r(2, 'A', 'event', 'deleted', 'e_0', 'e')], shown: { A: [] } },
  {
    name: 'a cancelled exception leaves the series', shown: { A: ['s_0', 's_200'] },
    records: [r(1, 'A', 'event', 'created', 's_0', 's'), r(2, 'A', 'event', 'updated', 's_100', 's', 100), r(3, 'A', 'event', 'deleted', 's_100', 's', 100), r(4, 'A', 'event', 'updated', 's_200', 's', 200)],
  },
  {
    name: 'a master deleted takes its exceptions; other calendars keep theirs', shown: { A: ['x_0'], B: ['s_0', 's_100'] },
    records: [
      r(1, 'A', 'event', 'created', 's_0', 's'), r(2, 'B', 'event', 'created', 's_0', 's'), r(3, 'A', 'event', 'updated', 's_100', 's', 100),
      r(4, 'B', 'event', 'updated', 's_100', 's', 100), r(5, 'A', 'event', 'created', 'x_0', 'x'), r(6, 'A', 'event', 'deleted', 's_0', 's'),
    ],
  },
  {
    name: 'records out of order are replayed by seq', shown: { A: ['e_0'] },
    records: [r(3, 'A', 'event', 'created', 'e_0', 'e'), r(2, 'A', 'event', 'deleted', 'e_0', 'e'), r(1, 'A', 'event', 'created', 'e_0', 'e')],
  },
  {
    name: 'a calendar deleted is empty; attendee, ACL and list records change nothing', shown: { A: [], B: ['e_0'] }, deleted: ['A'],
    records: [
      r(1, 'A', 'calendar', 'created', 'A'), r(2, 'A', 'event', 'created', 'e_0', 'e'), r(3, 'B', 'event', 'created', 'e_0', 'e'),
      r(4, 'B', 'attendee', 'attendee_removed', 'att_1', 'e'), r(5, 'A', 'acl', 'acl_deleted', 'user_1'), r(6, 'A', 'subscription', 'calendar_list_changed', 'A'),
      r(7, 'A', 'calendar', 'deleted', 'A'),
    ],
  },
];

for (const c of cases) {
  test(`membership rebuild: ${c.name}`, () => {
    const { shown, deleted } = rebuildMembership(c.records);
    const got = Object.fromEntries([...shown].map(([id, rows]) => [id, [...rows].sort()]));
    assert.deepEqual(got, c.shown);
    assert.deepEqual([...deleted].sort(), c.deleted ?? []);
  });
}
