import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { EventParams } from './event-schema.js';

/**
 * `TransferEvent`: the organizer hands the event (a series whole) to `newOrganizerId`, a unionId of
 * the organization. `isExitCalendar` (default false) takes the old organizer off the event;
 * otherwise they stay as an accepted attendee. `needNotifyViaO2O` is accepted; rili sends nothing.
 */
export const transferEvent = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/transfer',
  schema: {
    params: EventParams,
    body: Type.Object({
      newOrganizerId: Type.String(),
      isExitCalendar: Type.Optional(Type.Boolean()),
      needNotifyViaO2O: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    if (body.newOrganizerId.trim() === '') throw new DingtalkError('invalidParameter', 'newOrganizerId cannot be blank');
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const next = await ctx.directory.userByExternalId(actor.tenantKey, 'union_id', body.newOrganizerId);
    if (!next) throw new DingtalkError('invalidParameter', `newOrganizerId ${body.newOrganizerId} is not a user of this organization`);
    await ctx.events.organizerWrites.transfer(user, calendarId, params.eventId, next.id, body.isExitCalendar ?? false);
    return { result: true };
  },
});
