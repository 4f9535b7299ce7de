/**
 * Feishu's calendar events in the schema 2.0 envelope, as `@larksuiteoapi/node-sdk` parses them:
 * `calendar.calendar.event.changed_v4`, `calendar.calendar.changed_v4`, `calendar.calendar.acl.created_v4`
 * and `…acl.deleted_v4`. The body is compact JSON, so the SDK's re-serialised body equals it.
 */
import type { PushIntent } from '../../../core/push/decide-pushes.js';
import type { PushFacts, PushRenderer } from '../../../core/service/push-service.js';
import type { User } from '../../../core/types.js';

const EVENT_TYPES: Record<PushIntent['type'], string> = {
  event_changed: 'calendar.calendar.event.changed_v4',
  calendar_list_changed: 'calendar.calendar.changed_v4',
  acl_created: 'calendar.calendar.acl.created_v4',
  acl_deleted: 'calendar.calendar.acl.deleted_v4',
};

/** A user in every id type, as the events name users. */
const userIds = (u: User | undefined) => ({ union_id: u?.unionId ?? '', user_id: u?.userId ?? '', open_id: u?.openId ?? '' });

const userIdList = (ids: readonly string[], facts: PushFacts) => ids.map((id) => userIds(facts.users.get(id)));

/**
 * The grantee: as the record kept it; for a record written before grants were kept, the grant's row
 * or, once that is gone, the audience member who did not act.
 */
function granteeOf(intent: Extract<PushIntent, { type: 'acl_created' | 'acl_deleted' }>, facts: PushFacts): string | undefined {
  if (intent.grant) return intent.grant.userId;
  if (facts.acl) return facts.acl.userId;
  const others = intent.audience.filter((u) => u !== intent.actorUserId);
  return others[others.length - 1] ?? intent.audience[0];
}

function eventBody(intent: PushIntent, facts: PushFacts): Record<string, unknown> {
  switch (intent.type) {
    case 'event_changed':
      return {
        calendar_id: intent.calendarId,
        user_id_list: userIdList(intent.subscribers, facts),
        calendar_event_id: intent.eventId,
        change_type: intent.changeType,
        // Who answered (user attendees only), each user in every id type, as the platform lists them.
        ...(intent.changeType === 'rsvp'
          ? { rsvp_infos: (intent.rsvps ?? []).map((r) => ({ from_user_id: userIds(facts.users.get(r.userId)), rsvp_status: r.status })) }
          : {}),
      };
    case 'calendar_list_changed':
      return { user_id_list: userIdList(intent.subscribers, facts) };
    case 'acl_created':
    case 'acl_deleted': {
      const grantee = granteeOf(intent, facts);
      return {
        acl_id: intent.aclId,
        // The role the grant had, as its record kept it (a withdrawn grant too). Only a record written
        // before grants were kept, whose grant is gone, says `unknown` (one of the platform's role values).
        role: intent.grant?.role ?? facts.acl?.role ?? 'unknown',
        scope: { type: 'user', user_id: userIds(grantee === undefined ? undefined : facts.users.get(grantee)) },
        user_id_list: userIdList(intent.subscribers, facts),
      };
    }
  }
}

export const renderFeishuPush: PushRenderer = (intent, eventId, facts) => {
  const eventType = EVENT_TYPES[intent.type];
  const envelope = {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: eventType,
      create_time: String(intent.at),
      token: facts.config.verificationToken ?? '',
      app_id: intent.appId,
      tenant_key: intent.tenantKey,
    },
    event: eventBody(intent, facts),
  };
  return { eventType, body: JSON.stringify(envelope) };
};
