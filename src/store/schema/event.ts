// Event tables: events (a row per single event, series or exception), personal views, attendees.
export interface EventTable {
  event_id: string;
  uid: string;
  original_start: number;
  calendar_id: string;
  tenant_key: string;
  status: string;
  /** First instant of the event (a series: of its first occurrence). */
  start_at: number;
  /** Last instant of the event (a series: of its last occurrence; open-ended: far future). */
  range_end: number;
  is_recurring: number;
  /** 1 for a series or an event longer than 7 days (see migration 004). */
  long_span: number;
  summary: string;
  seq: number;
  idempotency_key: string | null;
  /** The whole CalendarEvent as JSON. */
  data: string;
}

export interface PersonalViewTable {
  uid: string;
  principal: string;
  data: string;
}

export interface AttendeeTable {
  uid: string;
  attendee_id: string;
  type: string;
  /** `u:<user>`, `c:<chat>`, `r:<room>` or `e:<email>`: what search filters match. */
  match_key: string;
  calendar_id: string | null;
  rsvp: string;
  seq: number;
  data: string;
}

export interface EventTables {
  events: EventTable;
  event_personal_views: PersonalViewTable;
  event_attendees: AttendeeTable;
}
