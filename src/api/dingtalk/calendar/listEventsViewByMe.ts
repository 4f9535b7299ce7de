import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { listEventsView } from './listEventsView.js';
import { asTokenUser } from './token-user.js';

/** `ListEventsViewByMe`: `ListEventsView` of the calendar of the user whose token calls it. */
export const listEventsViewByMe = defineRoute({
  method: 'GET',
  url: '/calendar/me/calendars/:calendarId/eventsview',
  // The query is ListEventsView's, validated by its handler as there.
  schema: { params: Type.Object({ calendarId: Type.String() }), querystring: listEventsView.schema.querystring! },
  auth: 'required',
  handle: (input, ctx) => asTokenUser(listEventsView, input as never, ctx, input.params),
});
