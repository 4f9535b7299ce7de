/**
 * The client's model of what a crash-test load has written: what was acknowledged (HTTP 200 code 0
 * received) and, per event, the one write that was in flight when the server was killed.
 */

/** The fields a write sets, all at once: a half-applied write shows as a mix of two versions. */
export interface Fields {
  readonly summary: string;
  readonly description: string;
  readonly location: string;
  /** Personal (the caller's own view): stored apart from the event row, so a patch spans two tables. */
  readonly color: number;
  readonly reminders: readonly number[];
}

export const fieldsOf = (n: number, version: number): Fields => ({
  summary: `ev${n} v${version}`,
  description: `description of ev${n}, version ${version}`,
  location: `room ${n}.${version}`,
  color: n * 100_000 + version,
  reminders: [version % 60, 60 + (n % 60)],
});

/** The wire body that sets `f`. */
export const fieldsBody = (f: Fields) => ({
  summary: f.summary,
  description: f.description,
  location: { name: f.location },
  color: f.color,
  reminders: f.reminders.map((minutes) => ({ minutes })),
});

/** Reads the fields back from an event as Feishu answers it. */
export const fieldsFromWire = (e: any): Fields => ({
  summary: e.summary ?? '',
  description: e.description ?? '',
  location: e.location?.name ?? '',
  color: e.color,
  reminders: (e.reminders ?? []).map((r: { minutes: number }) => r.minutes),
});

export const sameFields = (a: Fields, b: Fields): boolean => JSON.stringify(a) === JSON.stringify(b);

export type Pending =
  | { readonly op: 'create' }
  | { readonly op: 'patch'; readonly after: Fields }
  | { readonly op: 'add'; readonly keys: readonly string[] }
  | { readonly op: 'remove'; readonly keys: readonly string[] }
  | { readonly op: 'delete' };

export interface ModelEvent {
  /** Creation number: names the event's values. */
  readonly n: number;
  readonly idempotencyKey: string;
  id?: string;
  deleted: boolean;
  fields: Fields;
  /** Attendee key (`user:<user_id>` or `mail:<email>`) → attendee_id. */
  attendees: Map<string, string>;
  /** A write is on its way: the load never runs two at once on one event. */
  busy: boolean;
  /** The write in flight when the server died: it may have been applied, or not, but never in part. */
  pending?: Pending;
  /** Attendees changed (or may have) since the last check. */
  attendeesTouched: boolean;
}

/** An attendee's key as the model writes it, from the wire. */
export const attendeeKeyOf = (a: any): string => (a.type === 'user' ? `user:${a.user_id}` : a.type === 'third_party' ? `mail:${a.third_party_email}` : `${a.type}:${a.attendee_id}`);

/** The wire spec of an attendee key (users by user_id). */
export const attendeeSpecOf = (key: string) => {
  const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  return kind === 'user' ? { type: 'user', user_id: id } : { type: 'third_party', third_party_email: id };
};

/** Counts for the report. */
export interface CrashStats {
  rounds: number;
  acknowledged: Record<string, number>;
  inFlight: number;
  inFlightApplied: number;
  inFlightNotApplied: number;
  retriedCreates: number;
  integrityChecks: number;
  /** Committed writes whose change records were checked. */
  loggedWritesChecked: number;
}

export const newStats = (): CrashStats => ({
  rounds: 0, acknowledged: { create: 0, patch: 0, add: 0, remove: 0, delete: 0 }, inFlight: 0, inFlightApplied: 0, inFlightNotApplied: 0, retriedCreates: 0, integrityChecks: 0, loggedWritesChecked: 0,
});
