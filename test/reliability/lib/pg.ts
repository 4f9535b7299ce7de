import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PG_URL } from '../../helpers/stores.js';

/** Runs one statement on a fresh connection to `url`. */
export async function pgQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

/**
 * A private database on the test server, for schemas that live long. @NOTE: rili's migrations once
 * looked for their tables in every schema of the database (RELIABILITY.md, bug 1; still so without
 * `?schema=`), so a long-lived schema in the shared `test` database could stop other runs from
 * starting. A database of our own keeps the `?schema=` form and stays out of everyone's way.
 */
export interface PgDatabase {
  /** The database URL, without a schema. */
  readonly url: string;
  /** A location for a fresh schema in it: `<url>?schema=<prefix>_<random>`. */
  schema(prefix: string): { location: string; name: string };
  drop(): Promise<void>;
}

export async function privateDatabase(prefix: string): Promise<PgDatabase> {
  const name = `rili_${prefix}_${randomBytes(5).toString('hex')}`;
  await pgQuery(PG_URL, `create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  const base = url.toString();
  return {
    url: base,
    schema(p) {
      const schema = `${p}_${randomBytes(5).toString('hex')}`;
      return { location: `${base}?schema=${schema}`, name: schema };
    },
    async drop() {
      await pgQuery(PG_URL, `drop database if exists ${name} with (force)`);
    },
  };
}
