import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { isStoreUnavailable } from '../../src/core/errors.js';
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

test('postgres: a connection terminated inside a transaction fails only that transaction, retryably; the connection is discarded and the pool serves on', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, async () => {
  const fresh = await freshLocation('postgres');
  // One connection: the transaction's is the one terminated, and any reuse of it would show.
  const store = await openStore(fresh.location, { poolSize: 1 });
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0].pid;
    const failed = await store.transact(async (w) => {
      await w.calendars.currentSeq();
      // Terminated between two statements of the transaction, while rili holds the connection: this
      // used to be an unhandled 'error' event on the pg client, which ended the process.
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, 200));
      await w.calendars.currentSeq();
      return 'committed';
    }).catch((e: unknown) => e);
    assert.ok(isStoreUnavailable(failed), `the transaction failed with store_unavailable, not ${String(failed)}`);
    const again = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db)).rows[0].pid;
    assert.notEqual(again, pid, 'the dead connection was put back in the pool');
    assert.equal(await store.transact((w) => w.calendars.currentSeq()), 0);
  } finally {
    await admin.end();
    await store.close();
    await fresh.drop();
  }
});
