// PostgreSQL's cross-process wake-up (migration 030): change_log's statement trigger sends NOTIFY on
// the schema's channel with the highest seq the INSERT added, delivered at commit, never for a
// rollback; a schema long enough that its channel is hashed gets the same name changeChannel() makes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import pg from 'pg';
import type { ChangeDraft } from '../../../src/core/changes.js';
import { openStore } from '../../../src/store/open-store.js';
import { changeChannel } from '../../../src/store/postgres/change-notify.js';
import { PG_URL, STORES, dropSchema } from '../../helpers/stores.js';

const draft = (objectId: string): ChangeDraft => ({
  tenantKey: 't1', calendarId: 'c1', object: 'event', objectId, uid: objectId, instanceStart: 0, kind: 'created', audience: [],
});

const skip = !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES';

for (const [label, schema] of [
  ['a short schema', `t_${randomBytes(6).toString('hex')}`],
  ['a schema whose channel is hashed', `t_${randomBytes(6).toString('hex')}_${'x'.repeat(40)}`],
] as const) {
  test(`postgres: ${label}: an appending commit notifies its last seq; a rollback and a write without records notify nothing`, { skip }, async () => {
    const channel = changeChannel(schema);
    assert.equal(channel.length <= 63, true);
    const store = await openStore(`${PG_URL}?schema=${schema}`);
    const listener = new pg.Client({ connectionString: PG_URL });
    const heard: string[] = [];
    try {
      await listener.connect();
      listener.on('notification', (n) => { if (n.channel === channel) heard.push(n.payload ?? ''); });
      await listener.query(`listen "${channel}"`);
      const records = await store.transact(async (w) => {
        const seq = await w.calendars.nextSeq(2);
        return w.changes.append([draft('a'), draft('b')], 1000, seq + 1);
      });
      await assert.rejects(store.transact(async (w) => {
        await w.changes.append([draft('c')], 1000);
        throw new Error('boom');
      }), /boom/);
      await store.transact((w) => w.calendars.nextSeq());
      const more = await store.transact((w) => w.changes.append([draft('d')], 1000));
      // Notifications arrive in commit order; the last commit's means every earlier one has arrived.
      const deadline = Date.now() + 5000;
      while (!heard.includes(String(more[0].seq)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(heard, [String(records[1].seq), String(more[0].seq)]);
    } finally {
      await listener.end();
      await store.close();
      await dropSchema(schema);
    }
  });
}
