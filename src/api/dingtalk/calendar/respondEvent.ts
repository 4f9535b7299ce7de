import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { EventParams } from './event-schema.js';

const REPLY = { accepted: 'accept', declined: 'decline', tentative: 'tentative' } as const;

/**
 * `RespondEvent`: the path user answers their invitation. `needsAction` (taking an answer back) is
 * refused: an answer once given can be changed, not withdrawn.
 */
export const respondEvent = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/events/:eventId/respond',
  schema: { params: EventParams, body: Type.Object({ responseStatus: Type.Optional(Type.String()) }) },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const status = body.responseStatus;
    if (status === undefined || !(status in REPLY)) {
      throw new DingtalkError('invalidParameter', `responseStatus must be one of ${Object.keys(REPLY).join(', ')}`);
    }
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    await ctx.attendees.reply(user, calendarId, params.eventId, REPLY[status as keyof typeof REPLY]);
    return {};
  },
});
