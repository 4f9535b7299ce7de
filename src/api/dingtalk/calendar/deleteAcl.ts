import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';

/** `DeleteAcl`: the calendar's owner withdraws a share by its aclId; an unknown one is `resourceNotFound`. */
export const deleteAcl = defineRoute({
  method: 'DELETE',
  url: '/calendar/users/:userId/calendars/:calendarId/acls/:aclId',
  schema: { params: Type.Object({ userId: Type.String(), calendarId: Type.String(), aclId: Type.String() }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    if (params.aclId.trim() === '') throw new DingtalkError('invalidParameter', 'aclId cannot be blank');
    await ctx.calendars.deleteAcl(user, calendarId, params.aclId);
    return {};
  },
});
