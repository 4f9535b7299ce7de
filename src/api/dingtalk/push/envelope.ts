/**
 * DingTalk's `calendar_event_change`, the decrypted JSON an event-subscription receiver gets:
 * `EventType`, `eventId`, `calendarEventId`, `calendarId`, `unionIdList`, `changeType`
 * (`created`/`updated`/`deleted`), `calendarEventUpdateTime` (ms), `operator` and `corpId`.
 * Like the platform's, the body carries ids only; a receiver reads the event back through the API.
 */
import type { EventChangeType } from '../../../core/push/decide-pushes.js';
import type { PushRenderer } from '../../../core/service/push-service.js';

export const DINGTALK_EVENT_TYPE = 'calendar_event_change';

const CHANGE_TYPE: Record<EventChangeType, string> = { create: 'created', update: 'updated', delete: 'deleted', rsvp: 'updated' };

export const renderDingtalkPush: PushRenderer = (intent, eventId, facts) => {
  if (intent.type !== 'event_changed') throw new Error(`DingTalk has no push for ${intent.type}`);
  const unionId = (id: string) => facts.users.get(id)?.unionId ?? '';
  const body = {
    EventType: DINGTALK_EVENT_TYPE,
    eventId,
    calendarEventId: intent.eventId,
    calendarId: intent.calendarId,
    unionIdList: intent.subscribers.map(unionId).filter((u) => u !== ''),
    changeType: CHANGE_TYPE[intent.changeType],
    calendarEventUpdateTime: intent.at,
    // The platform's documents show an object and name no fields: rili names who acted by unionId.
    operator: intent.actorUserId !== undefined ? { unionId: unionId(intent.actorUserId) } : {},
    corpId: intent.tenantKey,
  };
  return { eventType: DINGTALK_EVENT_TYPE, body: JSON.stringify(body) };
};
