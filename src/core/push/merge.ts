/**
 * Feishu's 3-second merge of changes to one event (per app, calendar and event): a push waits out
 * the window from the first change, and later changes in it fold into it by the platform's rules:
 * create+delete → nothing; create+update → create; delete+update → delete; update+update → the last
 * update; several rsvp → the last rsvp (rsvp_infos keep each user's last answer). Where the rules say
 * nothing (update then rsvp, rsvp then update, delete then create) the changes stay separate pushes.
 */
import type { EventChangedIntent, RsvpInfo } from './decide-pushes.js';

/** The platform's window. */
export const FEISHU_MERGE_MS = 3_000;

export type MergeOutcome =
  | { readonly kind: 'merged'; readonly intent: EventChangedIntent }
  /** The changes cancel out: no push at all. */
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'separate' };

/** The key of a merge window. */
// No NUL as the separator: PostgreSQL text cannot hold one.
export const mergeKeyOf = (i: EventChangedIntent): string => `${i.appId}|${i.calendarId}|${i.eventId}`;

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])].sort();

/** Each user's last answer, in the order the users first answered. */
function lastAnswers(a: readonly RsvpInfo[], b: readonly RsvpInfo[]): RsvpInfo[] {
  const byUser = new Map<string, RsvpInfo>();
  for (const r of [...a, ...b]) byUser.set(r.userId, r);
  return [...byUser.values()];
}

/** Folds `next` into the push `held` waits to send. The merged push keeps `held`'s record (its event_id). */
export function mergeEventChange(held: EventChangedIntent, next: EventChangedIntent): MergeOutcome {
  const a = held.changeType;
  const b = next.changeType;
  const subscribers = union(held.subscribers, next.subscribers);
  const keep = (changeType: EventChangedIntent['changeType'], at: number, rsvps?: readonly RsvpInfo[]): MergeOutcome => {
    const { rsvps: _dropped, ...rest } = held;
    const merged = (held.merged ?? 1) + (next.merged ?? 1);
    return { kind: 'merged', intent: { ...rest, changeType, at, subscribers, merged, ...(rsvps && rsvps.length > 0 ? { rsvps } : {}) } };
  };
  if (a === 'create' && b === 'delete') return { kind: 'cancelled' };
  if (a === 'create' && (b === 'update' || b === 'rsvp')) return keep('create', held.at);
  if (a === 'delete' && (b === 'update' || b === 'rsvp' || b === 'delete')) return keep('delete', held.at);
  if ((a === 'update' || a === 'rsvp') && b === 'delete') return keep('delete', next.at);
  if (a === 'update' && b === 'update') return keep('update', next.at);
  if (a === 'rsvp' && b === 'rsvp') return keep('rsvp', next.at, lastAnswers(held.rsvps ?? [], next.rsvps ?? []));
  return { kind: 'separate' };
}
