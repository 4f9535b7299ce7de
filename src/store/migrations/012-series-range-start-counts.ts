import type { Kysely } from 'kysely';
import { eventRange } from '../../core/events/series.js';
import type { CalendarEvent } from '../../core/events/types.js';

const BATCH = 500;

// A series' start now counts toward COUNT even where its rule would skip it (docs/recurrence.md),
// so such a COUNT series ends one rule occurrence earlier than the range_end its row was written
// with. The old value only over-covers (a window query reads the row and expands it correctly), but
// the index should agree with the series: recompute range_end of every series row once.
// This uses the live eventRange, on purpose: it is what every later write stores.
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows: { event_id: string; range_end: number | string; data: string }[] = await db.selectFrom('events').select(['event_id', 'range_end', 'data'])
      .where('is_recurring', '=', 1).where('event_id', '>', after).orderBy('event_id').limit(BATCH).execute();
    for (const row of rows) {
      let end: number;
      try {
        end = eventRange(JSON.parse(row.data) as CalendarEvent).end;
      } catch {
        continue; // a row no rule reading accepts keeps what it has
      }
      if (Number(row.range_end) !== end) await db.updateTable('events').set({ range_end: end }).where('event_id', '=', row.event_id).execute();
    }
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].event_id;
  }
}

export async function down(): Promise<void> {
  throw new Error('rili migrations are forward-only');
}
