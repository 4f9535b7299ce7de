/**
 * Which DingTalk pushes a page of change records makes: pure. A DingTalk app subscribes in its
 * console, not per user: it hears of every event change in its own organisation (tenant) that it has
 * not passed yet (its cursor), one `calendar_event_change` per event record, i.e. per calendar the
 * change shows in. Calendar-list and ACL changes have no DingTalk event here.
 */
import type { ChangeRecord } from '../changes.js';
import type { EventChangeType, PushIntent, PushTarget } from './decide-pushes.js';

const CHANGE: Partial<Record<ChangeRecord['kind'], EventChangeType>> = { created: 'create', updated: 'update', deleted: 'delete' };

export function decideDingtalkPushes(records: readonly ChangeRecord[], targets: readonly PushTarget[]): PushIntent[] {
  const out: PushIntent[] = [];
  for (const r of records) {
    const changeType = CHANGE[r.kind];
    if (r.object !== 'event' || !r.calendarId || !changeType) continue;
    for (const t of targets) {
      if (t.tenantKey !== r.tenantKey || r.seq <= t.cursor) continue;
      out.push({
        appId: t.appId, tenantKey: t.tenantKey, seq: r.seq, at: r.at, subscribers: [...r.audience].sort(),
        type: 'event_changed', calendarId: r.calendarId, eventId: r.objectId, changeType,
        ...(r.userId !== undefined ? { actorUserId: r.userId } : {}),
      });
    }
  }
  return out;
}
