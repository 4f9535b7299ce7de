import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import { PG_URL, STORES, freshLocation } from '../helpers/stores.js';

test('postgres: a connection the server terminates does not crash rili; the next query reconnects', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, async () => {
  const fresh = await freshLocation('postgres');
  const store = await openStore(fresh.location, { poolSize: 1 });
  try {
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0].pid;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const killed = await admin.query('select pg_terminate_backend($1) as ok', [pid]);
      assert.equal(killed.rows[0].ok, true);
    } finally {
      await admin.end();
    }
    // Give the pool time to see the idle client die (this used to be an uncaught 'error' event).
    await new Promise((r) => setTimeout(r, 200));
    const again = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0].pid;
    assert.notEqual(again, pid);
    assert.equal(await store.read((r) => r.calendars.currentSeq()), 0);
  } finally {
    await store.close();
    await fresh.drop();
  }
});
