import { defineRoute } from '../../route.js';
import { actingUser } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { UserParams } from './event-schema.js';
import { SubscribedCalendarBody, fieldsOf } from './subscribed-wire.js';

/**
 * `CreateSubscribedCalendar`: the user of the path authors a calendar others may subscribe to. It is
 * a shared calendar in Feishu terms, owned by the author and on their list; `managers` (unionIds)
 * get writer access; `subscribeScope` says who may subscribe.
 */
export const createSubscribedCalendar = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/subscribedCalendars',
  schema: { params: UserParams, body: SubscribedCalendarBody },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    if ((body.name ?? '').trim() === '') throw new DingtalkError('invalidParameter', 'name cannot be blank');
    const made = await ctx.subscribedCalendars.create(user, await fieldsOf(ctx, user.tenantKey, body));
    return { calendarId: made.calendarId };
  },
});
