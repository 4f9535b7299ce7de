import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { after, before } from 'node:test';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore, StoreKind } from '../../src/store/open-store.js';

/** The stores every store-touching test runs on; RILI_TEST_STORES narrows or widens the list. */
export const STORES: readonly StoreKind[] = (process.env.RILI_TEST_STORES ?? 'sqlite')
  .split(',').map((s) => s.trim()).filter((s): s is StoreKind => s === 'sqlite' || s === 'postgres');

export const PG_URL = process.env.RILI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database location of the given kind, and how to clean it away. */
export async function freshLocation(kind: StoreKind): Promise<{ location: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') return { location: ':memory:', drop: async () => {} };
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return { location: `${PG_URL}?schema=${schema}`, drop: () => dropSchema(schema) };
}

/**
 * In the enclosing describe: opens a fresh, migrated store of `kind` before its tests, hands it to
 * `use`, and closes and drops it after them.
 */
export function withFreshStore(kind: StoreKind, use: (store: OpenedStore) => void | Promise<void>): void {
  let opened: OpenedStore | undefined;
  let drop: (() => Promise<void>) | undefined;
  before(async () => {
    const fresh = await freshLocation(kind);
    drop = fresh.drop;
    opened = await openStore(fresh.location);
    await use(opened);
  });
  after(async () => {
    await opened?.close();
    await drop?.();
  });
}

/** Drops a PostgreSQL schema a test made, with everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}
