// The kept compiled statements run as named prepared statements on PostgreSQL (postgres-open.ts):
// parsed once per connection, so the event read's UNION is not parsed and planned on every request.
// Any other statement stays unnamed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { sql } from 'kysely';
import { compiledStatement, isKeptStatement } from '../../../src/store/compiled.js';
import { openPostgres } from '../../../src/store/postgres/postgres-open.js';
import { PG_URL, STORES, dropSchema } from '../../helpers/stores.js';

const skip = !STORES.includes('postgres') && 'PostgreSQL not in RILI_TEST_STORES';

const userById = compiledStatement((db, id: string) => db.selectFrom('users').select('name').where('id', '=', id));

test('postgres: a kept compiled statement is prepared once per connection and answers with each call\'s values', { skip }, async () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  // One connection, so the session the statement was prepared in is the one asked afterwards.
  const { db } = await openPostgres(`${PG_URL}?schema=${schema}`, 1);
  try {
    await sql`create table users (id text primary key, name text not null)`.execute(db);
    await sql`insert into users values ('u1', 'One'), ('u2', 'Two')`.execute(db);
    const prepared = async () => (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)).rows;
    assert.deepEqual(await prepared(), [], 'nothing prepared before the first call');

    assert.deepEqual(await userById(db, 'u1'), [{ name: 'One' }]);
    assert.deepEqual(await userById(db, 'u2'), [{ name: 'Two' }], 'the second call binds its own value');
    assert.deepEqual(await userById(db, 'nobody'), []);
    const rows = await prepared();
    assert.equal(rows.length, 1, `one named statement: ${JSON.stringify(rows)}`);
    assert.match(rows[0].name, /^r_[0-9a-f]{24}$/);
    assert.ok(isKeptStatement(rows[0].statement), 'its text is the kept template\'s');

    // Inside a transaction too, and an ad hoc statement is not prepared.
    await db.transaction().execute(async (t) => {
      assert.deepEqual(await userById(t, 'u2'), [{ name: 'Two' }]);
      await t.selectFrom('users').select('id').where('id', '=', 'u1').execute();
    });
    assert.equal((await prepared()).length, 1, 'still one: ad hoc Kysely queries stay unnamed');
  } finally {
    await db.destroy();
    await dropSchema(schema);
  }
});
