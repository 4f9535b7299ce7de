import { defineRoute } from '../../route.js';
import { getSchedule } from './getSchedule.js';
import { asTokenUser } from './token-user.js';

/** `GetScheduleByMe`: `GetSchedule` asked by the user whose token calls it. */
export const getScheduleByMe = defineRoute({
  method: 'POST',
  url: '/calendar/me/schedules/query',
  schema: { body: getSchedule.schema.body! },
  auth: 'required',
  handle: (input, ctx) => asTokenUser(getSchedule, input, ctx, {}),
});
