import { Type } from 'typebox';
import { defineRoute } from '../../../../route.js';
import { FeishuError } from '../../../errors.js';

/** `client.calendar.v4.timeoffEvent.delete`: an app deletes a time-off event it made, and the event it shows as. */
export const del = defineRoute({
  method: 'DELETE',
  url: '/calendar/v4/timeoff_events/:timeoff_event_id',
  schema: { params: Type.Object({ timeoff_event_id: Type.String({ minLength: 1, maxLength: 255 }) }) },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    if (actor.kind !== 'app') throw new FeishuError(99991663, 'this method needs a tenant_access_token');
    await ctx.extras.deleteTimeoff(actor, params.timeoff_event_id);
    return {};
  },
});
