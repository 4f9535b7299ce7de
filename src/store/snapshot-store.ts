import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { SnapshotWriter, StoreDump } from '../core/ports.js';
import type { Seed } from '../core/seed.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema/index.js';

type Row = Record<string, unknown>;
type Tables = Record<string, readonly Row[]>;

/**
 * Every table rili has, and whether a snapshot holds it: the columns that order its rows (its key),
 * or null for a table outside the calendar state (the change log restarts on a restore, settings keep
 * the token secret, snapshots do not hold snapshots, rate counters are counters). Typed over the whole
 * schema, so a table added later does not compile until it is placed here.
 */
const TABLES: Readonly<Record<keyof Database, readonly string[] | null>> = {
  tenants: ['key'],
  users: ['id'],
  apps: ['app_id'],
  rooms: ['room_id'],
  chats: ['chat_id'],
  files: ['file_token'],
  settings: null,
  calendars: ['calendar_id'],
  calendar_acls: ['calendar_id', 'acl_id'],
  subscriptions: ['principal', 'calendar_id'],
  change_seq: null,
  events: ['event_id'],
  event_personal_views: ['uid', 'principal'],
  event_attendees: ['uid', 'attendee_id'],
  dingtalk_client_tokens: ['app_id', 'token'],
  rate_counts: null,
  oauth_codes: ['code_hash'],
  oauth_grants: ['id'],
  change_log: null,
  change_log_floor: null,
  snapshots: null,
  applied_seeds: ['position'],
  // Who subscribed to pushes and where each app receives them are state; where delivery has got to
  // and the delivery log are not (a restore restarts the change log, which cursors clamp to).
  push_subscriptions: ['app_id', 'user_id', 'topic', 'calendar_id'],
  push_configs: ['app_id'],
  push_cursors: null,
  push_deliveries: null,
  timeoff_events: ['tenant_key', 'timeoff_event_id'],
  meeting_chats: ['uid'],
  meeting_minutes: ['uid'],
  exchange_bindings: ['tenant_key', 'exchange_binding_id'],
  subscribed_calendars: ['calendar_id'],
  event_sign_ins: ['event_id', 'kind', 'user_id'],
  categories: ['tenant_key', 'category_id'],
  // CalDAV credentials are state a user was handed; the names clients gave events go with the events.
  caldav_credentials: ['user_name'],
  caldav_resources: ['calendar_id', 'name'],
};

/** Every table rili knows of, whether a snapshot holds it or not. */
export const KNOWN_TABLES: readonly string[] = Object.keys(TABLES);

/** The tables a snapshot holds, in a fixed order. */
export const DUMPED_TABLES: readonly string[] = Object.entries(TABLES).filter(([, key]) => key !== null).map(([name]) => name);

/**
 * How a dump written at an older migration becomes one of the current shape: for each later migration
 * that changes a dumped table's columns (a new column without a default, a renamed one, a dropped one),
 * one step, applied in migration order to dumps older than it. A table a migration adds needs none:
 * an older dump simply has no rows for it. None is needed yet.
 */
const UPGRADES: readonly { readonly migration: string; upgrade(tables: Tables): Tables }[] = [];

/** The shared migrations by name, in order: a dump's level must be one of them. */
let migrationNames: Promise<string[]> | undefined;
const knownMigrations = (): Promise<string[]> =>
  (migrationNames ??= migrationProvider({}).getMigrations().then((all) => Object.keys(all).sort()));

/** The rows of a dump at the current migration, or an error naming what is wrong with it. */
async function upgraded(dump: StoreDump): Promise<Tables> {
  const names = await knownMigrations();
  if (!names.includes(dump.migration)) {
    throw new Error(`snapshot: written at migration "${dump.migration}", which this rili does not know (its newest is "${names[names.length - 1]}"); a newer rili wrote it`);
  }
  let tables: Tables = { ...dump.tables };
  for (const step of UPGRADES) if (step.migration > dump.migration) tables = step.upgrade(tables);
  for (const name of Object.keys(tables)) {
    if (!DUMPED_TABLES.includes(name)) throw new Error(`snapshot: table "${name}" is not one a snapshot holds`);
    if (!Array.isArray(tables[name])) throw new Error(`snapshot: table "${name}" is not a list of rows`);
  }
  return tables;
}

const compareValues = (a: unknown, b: unknown): number =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/** Rows by their key, compared the same way on every database (collations differ; code points do not). */
function sortedByKey(rows: Row[], key: readonly string[]): Row[] {
  return rows.sort((x, y) => {
    for (const column of key) {
      const c = compareValues(x[column], y[column]);
      if (c !== 0) return c;
    }
    return 0;
  });
}

/** Bound parameters per INSERT, well under SQLite's 32 766 and PostgreSQL's 65 535. */
const PARAMETERS_PER_INSERT = 20_000;

const seedHash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Snapshots and seeds over Kysely; `db` is a snapshot read or a transaction. */
export function snapshotStore(db: Kysely<Database>): SnapshotWriter {
  // Table names chosen at run time, from TABLES above.
  const dynamic = db as unknown as Kysely<Record<string, Row>>;

  /** Takes the change sequence's row lock: writers that take a sequence number queue behind the restore. */
  const lockSequence = () => sql`update change_seq set value = value where id = 1`.execute(db);

  const emptyTables = async (names: readonly string[]) => {
    for (const name of names) await dynamic.deleteFrom(name).execute();
  };

  return {
    async dump() {
      const tables: Record<string, Row[]> = {};
      for (const name of DUMPED_TABLES) {
        const rows = await dynamic.selectFrom(name).selectAll().execute();
        tables[name] = sortedByKey(rows, TABLES[name as keyof Database]!);
      }
      const seq = await db.selectFrom('change_seq').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
      const names = await knownMigrations();
      return { migration: names[names.length - 1], changeSeq: Number(seq.value), tables };
    },
    async load(dump) {
      const tables = await upgraded(dump);
      await lockSequence();
      await sql`update change_seq set value = ${dump.changeSeq} where id = 1 and value < ${dump.changeSeq}`.execute(db);
      await emptyTables(DUMPED_TABLES);
      for (const name of DUMPED_TABLES) {
        const rows = tables[name] ?? [];
        if (rows.length === 0) continue;
        const columns = Math.max(1, Object.keys(rows[0]).length);
        const batch = Math.max(1, Math.floor(PARAMETERS_PER_INSERT / columns));
        for (let i = 0; i < rows.length; i += batch) await dynamic.insertInto(name).values(rows.slice(i, i + batch)).execute();
      }
    },
    async clear() {
      await lockSequence();
      await emptyTables(DUMPED_TABLES.filter((name) => name !== 'applied_seeds'));
    },
    async savedSnapshots() {
      const rows = await db.selectFrom('snapshots').select(['name', 'created_at', 'bytes']).execute();
      return rows.map((r) => ({ name: r.name, createdAt: Number(r.created_at), bytes: Number(r.bytes) }))
        .sort((a, b) => compareValues(a.name, b.name));
    },
    async savedSnapshot(name) {
      const row = await db.selectFrom('snapshots').select('document').where('name', '=', name).executeTakeFirst();
      return row?.document;
    },
    async saveSnapshot(info, document) {
      const gone = await db.deleteFrom('snapshots').where('name', '=', info.name).executeTakeFirst();
      await db.insertInto('snapshots').values({ name: info.name, created_at: info.createdAt, bytes: info.bytes, document }).execute();
      return Number(gone.numDeletedRows) > 0;
    },
    async deleteSnapshot(name) {
      const gone = await db.deleteFrom('snapshots').where('name', '=', name).executeTakeFirst();
      return Number(gone.numDeletedRows) > 0;
    },
    async appliedSeeds() {
      const rows = await db.selectFrom('applied_seeds').select(['position', 'seed']).execute();
      return rows.sort((a, b) => Number(a.position) - Number(b.position)).map((r) => JSON.parse(r.seed) as Seed);
    },
    async rememberSeed(seed) {
      const text = JSON.stringify(seed);
      const hash = seedHash(text);
      // The whole history is replayed (a seed may name users an earlier one made), except a seed
      // applied again right after itself, as every restart with the same --seed does.
      const last = await db.selectFrom('applied_seeds').select(['position', 'seed_hash']).orderBy('position', 'desc').limit(1).executeTakeFirst();
      if (last?.seed_hash === hash) return;
      await db.insertInto('applied_seeds').values({ position: last ? Number(last.position) + 1 : 1, seed_hash: hash, seed: text }).execute();
    },
  };
}
