import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { createEvent } from './createEvent.js';
import { CreateEventBody } from './event-schema.js';
import { asTokenUser } from './token-user.js';

/** `CreateEventByMe`: `CreateEvent` on the calendar of the user whose token calls it. */
export const createEventByMe = defineRoute({
  method: 'POST',
  url: '/calendar/me/calendars/:calendarId/events',
  schema: { params: Type.Object({ calendarId: Type.String() }), body: CreateEventBody },
  auth: 'required',
  handle: (input, ctx) => asTokenUser(createEvent, input as never, ctx, input.params),
});
