import type { Kysely } from 'kysely';
import type { ChangeDraft, ChangeKind, ChangeObject, ChangeRecord } from '../core/changes.js';
import type { ChangeLogWriter } from '../core/ports.js';
import type { ChangeLogTable } from './schema/change.js';
import type { Database } from './schema/index.js';
import { takeSequence } from './calendar-store.js';
import { compiledStatement } from './compiled.js';

const toRecord = (r: ChangeLogTable): ChangeRecord => ({
  seq: r.seq,
  at: r.at,
  tenantKey: r.tenant_key,
  ...(r.app_id !== null ? { appId: r.app_id } : {}),
  ...(r.user_id !== null ? { userId: r.user_id } : {}),
  ...(r.calendar_id !== null ? { calendarId: r.calendar_id } : {}),
  object: r.object as ChangeObject,
  objectId: r.object_id,
  ...(r.uid !== null ? { uid: r.uid } : {}),
  ...(r.instance_start !== null ? { instanceStart: r.instance_start } : {}),
  kind: r.kind as ChangeKind,
  audience: JSON.parse(r.audience) as string[],
  ...grantOf(r.detail),
});

/** The record's detail column: a JSON object holding what the record carries beyond its object's id. */
function grantOf(detail: string | null): Pick<ChangeRecord, 'grant'> {
  if (detail === null) return {};
  const parsed = JSON.parse(detail) as { grant?: ChangeRecord['grant'] };
  return parsed.grant ? { grant: parsed.grant } : {};
}

const toRow = (d: ChangeDraft, seq: number, at: number): ChangeLogTable => ({
  seq,
  at,
  tenant_key: d.tenantKey,
  app_id: d.appId ?? null,
  user_id: d.userId ?? null,
  calendar_id: d.calendarId ?? null,
  object: d.object,
  object_id: d.objectId,
  uid: d.uid ?? null,
  instance_start: d.instanceStart ?? null,
  kind: d.kind,
  audience: JSON.stringify([...new Set(d.audience)].sort()),
  detail: d.grant ? JSON.stringify({ grant: { role: d.grant.role, userId: d.grant.userId } }) : null,
});

/** Rows appended per INSERT: well under both databases' bound-parameter limits (13 per row). */
const APPEND_BATCH = 500;
/** Calendar ids per `IN (...)` list. */
const CALENDARS_PER_QUERY = 500;

// A write's usual case, one record: compiled once (compiled.ts).
const appendOne = compiledStatement((db, ...v: [number, number, string, string | null, string | null, string | null, string, string, string | null, number | null, string, string, string | null]) => {
  const [seq, at, tenant_key, app_id, user_id, calendar_id, object, object_id, uid, instance_start, kind, audience, detail] = v;
  return db.insertInto('change_log').values({ seq, at, tenant_key, app_id, user_id, calendar_id, object, object_id, uid, instance_start, kind, audience, detail });
});

export function changeLogStore(db: Kysely<Database>): ChangeLogWriter {
  return {
    async since(afterSeq, limit, calendarId) {
      let q = db.selectFrom('change_log').selectAll().where('seq', '>', afterSeq);
      if (calendarId !== undefined) q = q.where('calendar_id', '=', calendarId);
      const rows = await q.orderBy('seq').limit(limit).execute();
      return rows.map(toRecord);
    },
    async ofCalendars(afterSeq, calendarIds, objects, limit) {
      if (calendarIds.length === 0 || objects.length === 0) return [];
      // A chunk's first `limit` each: the first `limit` of them all are the first `limit` overall.
      const out: ChangeRecord[] = [];
      for (let i = 0; i < calendarIds.length; i += CALENDARS_PER_QUERY) {
        const rows = await db.selectFrom('change_log').selectAll().where('seq', '>', afterSeq)
          .where('calendar_id', 'in', calendarIds.slice(i, i + CALENDARS_PER_QUERY)).where('object', 'in', [...objects])
          .orderBy('seq').limit(limit).execute();
        out.push(...rows.map(toRecord));
      }
      return out.sort((a, b) => a.seq - b.seq).slice(0, limit);
    },
    async prunedThrough() {
      const r = await db.selectFrom('change_log_floor').select('pruned_through').where('id', '=', 1).executeTakeFirstOrThrow();
      return r.pruned_through;
    },
    async latestSeq() {
      const r = await db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
      return r?.seq === null || r?.seq === undefined ? 0 : Number(r.seq);
    },
    async append(drafts, at, firstSeq) {
      if (drafts.length === 0) return [];
      // Taking the numbers from the shared change sequence holds its row lock to commit, so records
      // commit in sequence order and a follower reading up to a seq never sees a gap filled later
      // (numbers reserved by `nextSeq` were taken under the same lock).
      const first = firstSeq ?? (await takeSequence(db, drafts.length)) - drafts.length + 1;
      const rows = drafts.map((d, i) => toRow(d, first + i, at));
      if (rows.length === 1) {
        const r = rows[0];
        await appendOne(db, r.seq, r.at, r.tenant_key, r.app_id, r.user_id, r.calendar_id, r.object, r.object_id, r.uid, r.instance_start, r.kind, r.audience, r.detail);
      } else {
        for (let i = 0; i < rows.length; i += APPEND_BATCH) {
          await db.insertInto('change_log').values(rows.slice(i, i + APPEND_BATCH)).execute();
        }
      }
      return rows.map(toRecord);
    },
    async prune({ before, keep }) {
      // The newest record to drop: the later of "older than `before`" and "beyond the newest `keep`".
      let through = 0;
      if (before !== undefined) {
        // Records older than `before` from the oldest on, up to the first that is not: in seq order
        // from the start, so the read stops after what it is about to delete (no index on `at`).
        // Appends take seq and `at` together, so the two orders agree but for a clock set back.
        const young = await db.selectFrom('change_log').select('seq').where('at', '>=', before).orderBy('seq').limit(1).executeTakeFirst();
        let older = db.selectFrom('change_log').select((eb) => eb.fn.max('seq').as('seq'));
        if (young) older = older.where('seq', '<', young.seq);
        const r = await older.executeTakeFirst();
        through = Math.max(through, Number(r?.seq ?? 0));
      }
      if (keep !== undefined) {
        const r = await db.selectFrom('change_log').select('seq').orderBy('seq', 'desc').offset(keep).limit(1).executeTakeFirst();
        through = Math.max(through, Number(r?.seq ?? 0));
      }
      if (through === 0) return 0;
      const floor = await db.selectFrom('change_log_floor').select('pruned_through').where('id', '=', 1).executeTakeFirstOrThrow();
      if (through <= floor.pruned_through) return 0;
      const done = await db.deleteFrom('change_log').where('seq', '<=', through).executeTakeFirst();
      await db.updateTable('change_log_floor').set({ pruned_through: through }).where('id', '=', 1).execute();
      return Number(done.numDeletedRows);
    },
    async restart() {
      const top = await db.updateTable('change_seq').set((eb) => ({ value: eb('value', '+', 1) }))
        .where('id', '=', 1).returning('value').executeTakeFirstOrThrow();
      await db.deleteFrom('change_log').execute();
      await db.updateTable('change_log_floor').set({ pruned_through: top.value }).where('id', '=', 1).execute();
      return top.value;
    },
  };
}
