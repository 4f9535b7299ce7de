/**
 * Incremental sync of a calendar's events from its change records, decided without I/O: which event
 * rows a page of records names (SyncScan), then what each answers as, given the rows as they stand
 * now (answerSync). The service (service/sync-service.ts) reads the records and rows around it.
 */
import type { ChangeRecord } from '../changes.js';
import { withdrawnEvent } from './access.js';
import type { CalendarEvent } from './types.js';

/** An event row a calendar's records named since the sync position. */
export interface TouchedRow {
  readonly eventId: string;
  readonly uid: string;
  /** The newest record of the row within the scan. */
  readonly seq: number;
  /** A `deleted` record of a series master (or single event) was among them: the whole series left. */
  readonly seriesDeleted: boolean;
}

/**
 * Collects a calendar's event records, in sequence order, into distinct rows, at most `limit` of
 * them: records that would name one more row stop the scan, and `through` is the last record taken,
 * so the next page resumes after it and loses nothing. Feed it pages of records until it is `full`
 * or the log has no more.
 */
export class SyncScan {
  private readonly rows = new Map<string, TouchedRow>();
  private last: number;
  private stopped = false;

  constructor(sinceSeq: number, private readonly limit: number) {
    this.last = sinceSeq;
  }

  /** Takes records in sequence order (other objects' records pass through); false once the page is full. */
  add(records: readonly ChangeRecord[]): boolean {
    for (const r of records) {
      if (this.stopped) return false;
      if (r.object === 'event' && r.uid !== undefined) {
        const before = this.rows.get(r.objectId);
        if (!before && this.rows.size === this.limit) {
          this.stopped = true;
          return false;
        }
        // Re-inserting moves the row after those changed before its newest record.
        this.rows.delete(r.objectId);
        this.rows.set(r.objectId, {
          eventId: r.objectId,
          uid: r.uid,
          seq: r.seq,
          seriesDeleted: (before?.seriesDeleted ?? false) || (r.kind === 'deleted' && (r.instanceStart ?? 0) === 0),
        });
      }
      this.last = r.seq;
    }
    return true;
  }

  /** Whether a record was left for a later page. */
  get full(): boolean {
    return this.stopped;
  }

  /** The last record taken: the position a later page continues after. */
  get through(): number {
    return this.last;
  }

  /** The rows named, ordered by their newest record. */
  touched(): TouchedRow[] {
    return [...this.rows.values()];
  }
}

/** What the rows of touched events are now. */
export interface CurrentRows {
  /** Rows by event id (whatever their status). */
  readonly byId: ReadonlyMap<string, CalendarEvent>;
  /** Every row of a series, for a series deleted whole. */
  readonly seriesOf: (uid: string) => readonly CalendarEvent[];
  /** Whether the event (by uid) still shows in the calendar: organized there or its invitation stands. */
  readonly showsIn: (uid: string) => boolean;
}

/** One answer of a sync page. */
export interface SyncItem {
  readonly event: CalendarEvent;
  /** The event left the calendar (its invitation withdrawn): only its id and times, seen as busy time. */
  readonly withdrawn: boolean;
}

/**
 * Each touched row as the calendar's sync reports it: a row still in the calendar as it is (a
 * cancelled one, deleted by its organizer, with status cancelled; a series deleted whole with every
 * row of it); an event that left the calendar once, as its master withdrawn (cancelled, fields
 * cleared) at its newest record.
 */
export function answerSync(touched: readonly TouchedRow[], rows: CurrentRows): SyncItem[] {
  const out: SyncItem[] = [];
  const answered = new Set<string>();
  const withdrawnAt = new Map<string, number>();
  for (const t of touched) if (!rows.showsIn(t.uid)) withdrawnAt.set(t.uid, Math.max(withdrawnAt.get(t.uid) ?? 0, t.seq));
  const answer = (event: CalendarEvent, withdrawn: boolean) => {
    const id = `${event.uid}_${event.originalStart}`;
    if (answered.has(id)) return;
    answered.add(id);
    out.push({ event, withdrawn });
  };
  for (const t of touched) {
    const seq = withdrawnAt.get(t.uid);
    if (seq !== undefined) {
      const master = rows.byId.get(`${t.uid}_0`);
      if (master && !answered.has(`${t.uid}_0`)) answer(withdrawnEvent(master, seq), true);
      continue;
    }
    const row = rows.byId.get(t.eventId);
    if (!row) continue;
    if (t.seriesDeleted && row.originalStart === 0 && row.status === 'cancelled') {
      answer(row, false);
      for (const e of rows.seriesOf(t.uid)) answer(e, false);
      continue;
    }
    answer(row, false);
  }
  return out;
}
