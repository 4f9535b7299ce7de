import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { DomainError, isStoreUnavailable } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { postgresFaultReason } from '../../src/store/postgres/postgres-faults.js';
import { sqliteFaultReason } from '../../src/store/sqlite/sqlite-faults.js';
import { PG_URL, STORES, freshLocation } from '../helpers/stores.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

test('PostgreSQL: connection loss, termination, deadlock, serialization failure, lack of resources and I/O errors are passing faults', () => {
  for (const code of ['08006', '08003', '57P01', '57P02', '57P03', '40001', '40P01', '53300', '53100', '55P03', '57014', '58030', '25P03']) {
    assert.ok(postgresFaultReason(pgError(code)), code);
  }
  // The messages pg, pg-pool and Kysely raise without a code, word for word.
  for (const message of ['Connection terminated unexpectedly', 'Connection terminated', 'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable', 'timeout exceeded when trying to connect', 'timeout expired', 'Query read timeout',
    'Postgres connection has been discarded', 'Cannot use a pool after calling end on the pool', 'driver has already been destroyed']) {
    assert.ok(postgresFaultReason(new Error(message)), message);
  }
  for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) assert.ok(postgresFaultReason(pgError(code)), code);
});

test('PostgreSQL: constraint violations, bad SQL and bugs are not passing faults', () => {
  for (const code of ['23505', '23503', '23502', '23514', '42601', '42P01', '22P02', 'XX000']) assert.equal(postgresFaultReason(pgError(code)), undefined, code);
  assert.equal(postgresFaultReason(new TypeError("Cannot read properties of undefined (reading 'id')")), undefined);
  assert.equal(postgresFaultReason(new DomainError('event_not_found', 'no')), undefined);
  assert.equal(postgresFaultReason('Connection terminated unexpectedly'), undefined, 'only Errors');
});

test('PostgreSQL: a real termination error and a real unique violation are told apart', { skip: !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES' }, async () => {
  const victim = new pg.Client({ connectionString: PG_URL });
  const admin = new pg.Client({ connectionString: PG_URL });
  await victim.connect();
  await admin.connect();
  victim.on('error', () => {});
  try {
    const unique = await victim.query('create temp table t (x int primary key); insert into t values (1); insert into t values (1)').catch((e: unknown) => e);
    assert.equal((unique as { code?: string }).code, '23505');
    assert.equal(postgresFaultReason(unique), undefined);
    const pid = (await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    const running = victim.query('select pg_sleep(10)').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await admin.query('select pg_terminate_backend($1)', [pid]);
    const terminated = await running;
    assert.ok(postgresFaultReason(terminated), `a terminated query's error is a passing fault: ${String(terminated)}`);
    const next = await victim.query('select 1').catch((e: unknown) => e);
    assert.ok(postgresFaultReason(next), `so is the next query's on that client: ${String(next)}`);
  } finally {
    await admin.end();
    await victim.end().catch(() => {});
  }
});

test('SQLite: busy, locked, I/O, full, read-only are passing faults; constraint violations, corruption and bugs are not', () => {
  for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_FULL',
    'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'SQLITE_NOMEM', 'SQLITE_PROTOCOL']) {
    assert.ok(sqliteFaultReason(new BetterSqlite3.SqliteError('x', code)), code);
  }
  for (const code of ['SQLITE_CONSTRAINT', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_FOREIGNKEY', 'SQLITE_CORRUPT', 'SQLITE_ERROR', 'SQLITE_MISMATCH', 'SQLITE_BUSYX']) {
    assert.equal(sqliteFaultReason(new BetterSqlite3.SqliteError('x', code)), undefined, code);
  }
  assert.equal(sqliteFaultReason(new TypeError('x is not a function')), undefined);
});

test('SQLite: a real SQLITE_BUSY and a real unique violation are told apart', () => {
  const a = new BetterSqlite3(':memory:');
  a.exec('create table t (x int primary key); insert into t values (1)');
  const unique = (() => {
    try {
      a.exec('insert into t values (1)');
    } catch (e) {
      return e;
    }
  })();
  assert.equal((unique as { code?: string }).code, 'SQLITE_CONSTRAINT_PRIMARYKEY');
  assert.equal(sqliteFaultReason(unique), undefined);
  a.close();
  const dir = mkdtempSync(join(tmpdir(), 'rili-busy-'));
  const holder = new BetterSqlite3(join(dir, 'db'));
  const waiter = new BetterSqlite3(join(dir, 'db'));
  try {
    holder.pragma('journal_mode = WAL');
    waiter.pragma('busy_timeout = 0');
    holder.exec('begin immediate');
    const busy = (() => {
      try {
        waiter.exec('begin immediate');
      } catch (e) {
        return e;
      }
    })();
    assert.equal((busy as { code?: string }).code, 'SQLITE_BUSY');
    assert.ok(sqliteFaultReason(busy));
  } finally {
    holder.close();
    waiter.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const kind of STORES) {
  test(`${kind}: the store turns a passing fault into store_unavailable and leaves every other error as it is`, async () => {
    const fresh = await freshLocation(kind);
    const store = await openStore(fresh.location);
    try {
      const fault = kind === 'sqlite' ? new BetterSqlite3.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE') : pgError('57P01', 'terminating connection due to administrator command');
      const inWrite = await store.transact(async () => { throw fault; }).catch((e: unknown) => e);
      assert.ok(isStoreUnavailable(inWrite), String(inWrite));
      assert.equal((inWrite as Error).cause, fault, 'the driver error is kept as the cause, for the log');
      const inRead = await store.read(async () => { throw fault; }).catch((e: unknown) => e);
      assert.ok(isStoreUnavailable(inRead), String(inRead));
      const refusal = new DomainError('event_not_found', 'no such event');
      assert.equal(await store.transact(async () => { throw refusal; }).catch((e: unknown) => e), refusal);
      const bug = new TypeError('a bug');
      assert.equal(await store.read(async () => { throw bug; }).catch((e: unknown) => e), bug);
      // A real constraint violation from the database stays what it is (not retryable).
      const tenant = { key: 't1', name: 'T' } as never;
      await store.transact((w) => w.directory.putTenant(tenant));
      const user = { id: 'u1', tenantKey: 't1', userId: 'a', openId: 'ou_same', unionId: 'on_1', name: 'A', email: null } as never;
      const twin = { id: 'u2', tenantKey: 't1', userId: 'b', openId: 'ou_same', unionId: 'on_2', name: 'B', email: null } as never;
      const constraint = await store.transact(async (w) => {
        await w.directory.putUser(user);
        await w.directory.putUser(twin);
      }).catch((e: unknown) => e);
      assert.ok(constraint instanceof Error && !isStoreUnavailable(constraint), `a unique violation is not a store fault: ${String(constraint)}`);
      // And the store works on.
      assert.equal(await store.transact((w) => w.calendars.currentSeq()), 0);
    } finally {
      await store.close();
      await fresh.drop();
    }
  });
}
