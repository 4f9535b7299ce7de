import type { Route } from '../../route.js';
import { checkIn } from './checkIn.js';
import { convertLegacyEventId } from './convertLegacyEventId.js';
import { createSubscribedCalendar } from './createSubscribedCalendar.js';
import { deleteSubscribedCalendar } from './deleteSubscribedCalendar.js';
import { getSignInLink } from './getSignInLink.js';
import { getSignInList } from './getSignInList.js';
import { getSignOutLink } from './getSignOutLink.js';
import { getSignOutList } from './getSignOutList.js';
import { getSubscribedCalendar } from './getSubscribedCalendar.js';
import { listCategories } from './listCategories.js';
import { signIn } from './signIn.js';
import { signLinkPage } from './signLinkPage.js';
import { signOut } from './signOut.js';
import { subscribeCalendar } from './subscribeCalendar.js';
import { unsubscribeCalendar } from './unsubscribeCalendar.js';
import { updateSubscribedCalendars } from './updateSubscribedCalendars.js';
import { addAttendee } from './addAttendee.js';
import { addMeetingRooms } from './addMeetingRooms.js';
import { generateCaldavAccount } from './generateCaldavAccount.js';
import { cancelEvent } from './cancelEvent.js';
import { createAcls } from './createAcls.js';
import { createEvent } from './createEvent.js';
import { createEventByMe } from './createEventByMe.js';
import { deleteAcl } from './deleteAcl.js';
import { deleteEvent } from './deleteEvent.js';
import { getEvent } from './getEvent.js';
import { getMeetingRoomsSchedule } from './getMeetingRoomsSchedule.js';
import { getSchedule } from './getSchedule.js';
import { getScheduleByMe } from './getScheduleByMe.js';
import { listAcls } from './listAcls.js';
import { listAttendees } from './listAttendees.js';
import { listCalendars } from './listCalendars.js';
import { listEvents } from './listEvents.js';
import { listEventsInstances } from './listEventsInstances.js';
import { listEventsView } from './listEventsView.js';
import { listEventsViewByMe } from './listEventsViewByMe.js';
import { listInstances } from './listInstances.js';
import { meetingRoomRespond } from './meetingRoomRespond.js';
import { patchEvent } from './patchEvent.js';
import { removeAttendee } from './removeAttendee.js';
import { removeMeetingRooms } from './removeMeetingRooms.js';
import { respondEvent } from './respondEvent.js';
import { transferEvent } from './transferEvent.js';

/** calendar_1_0 operations rili serves. */
export const calendarRoutes: readonly Route[] = [
  createEvent, getEvent, listEvents, patchEvent, deleteEvent,
  addAttendee, removeAttendee, listAttendees, respondEvent,
  listEventsView, listInstances, getSchedule, listCalendars,
  createAcls, listAcls, deleteAcl,
  addMeetingRooms, removeMeetingRooms, getMeetingRoomsSchedule, meetingRoomRespond,
  cancelEvent, transferEvent,
  createEventByMe, listEventsViewByMe, getScheduleByMe,
  listEventsInstances,
  createSubscribedCalendar, getSubscribedCalendar, updateSubscribedCalendars, deleteSubscribedCalendar,
  subscribeCalendar, unsubscribeCalendar,
  checkIn, signIn, signOut, getSignInLink, getSignOutLink, getSignInList, getSignOutList, signLinkPage,
  listCategories, convertLegacyEventId,
  generateCaldavAccount,
];

/** Operations whose headers model has `xClientToken`: the idempotent writes. */
export const clientTokenRoutes: ReadonlySet<Route> = new Set([
  createEvent, patchEvent, deleteEvent, addAttendee, removeAttendee, respondEvent,
  addMeetingRooms, removeMeetingRooms, meetingRoomRespond,
  cancelEvent, transferEvent, createEventByMe,
]);

/** Operations whose body is an event: an absent one is "Event must be provided.". */
export const eventBodyRoutes: ReadonlySet<Route> = new Set([createEvent, patchEvent, createEventByMe]);
