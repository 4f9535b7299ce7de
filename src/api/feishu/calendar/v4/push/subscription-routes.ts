/**
 * The six Feishu push switches: `calendar.subscription`/`unsubscription` (the caller's calendar list),
 * `calendarEvent.subscription`/`unsubscription` and `calendarAcl.subscription`/`unsubscription` (one
 * calendar). User token only; each answers `{"code":0,"msg":"success","data":{}}`.
 */
import type { PushTopic } from '../../../../../core/push/subscriptions.js';
import type { Actor } from '../../../../../core/types.js';
import { defineRoute } from '../../../../route.js';
import type { Route } from '../../../../route.js';
import { FeishuError } from '../../../errors.js';
import { CalendarIdParams } from '../../../schemas.js';
import { checkCalendarId } from '../calendar-wire.js';

function userOnly(actor: Actor): Extract<Actor, { kind: 'user' }> {
  // The gateway refuses a tenant token on a user-token-only method before the method runs.
  if (actor.kind !== 'user') throw new FeishuError(99991668, 'this method needs a user_access_token');
  return actor;
}

const listSwitch = (action: 'subscription' | 'unsubscription'): Route => defineRoute({
  method: 'POST',
  url: `/calendar/v4/calendars/${action}`,
  schema: {},
  auth: 'required',
  async handle({ actor }, ctx) {
    const user = userOnly(actor);
    if (action === 'subscription') await ctx.pushSubscriptions.subscribe(user, 'calendar_list');
    else await ctx.pushSubscriptions.unsubscribe(user, 'calendar_list');
    return {};
  },
});

const calendarSwitch = (resource: 'events' | 'acls', action: 'subscription' | 'unsubscription'): Route => defineRoute({
  method: 'POST',
  url: `/calendar/v4/calendars/:calendar_id/${resource}/${action}`,
  schema: { params: CalendarIdParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const user = userOnly(actor);
    const topic: PushTopic = resource;
    const calendarId = checkCalendarId(params.calendar_id);
    if (action === 'subscription') await ctx.pushSubscriptions.subscribe(user, topic, calendarId);
    else await ctx.pushSubscriptions.unsubscribe(user, topic, calendarId);
    return {};
  },
});

/** `calendar.subscription` / `calendar.unsubscription`. */
export const calendarListSubscriptionMethods: readonly Route[] = [listSwitch('subscription'), listSwitch('unsubscription')];
/** `calendarEvent.subscription` / `calendarEvent.unsubscription`. */
export const eventSubscriptionMethods: readonly Route[] = [calendarSwitch('events', 'subscription'), calendarSwitch('events', 'unsubscription')];
/** `calendarAcl.subscription` / `calendarAcl.unsubscription`. */
export const aclSubscriptionMethods: readonly Route[] = [calendarSwitch('acls', 'subscription'), calendarSwitch('acls', 'unsubscription')];
