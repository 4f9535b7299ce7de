import type { Route } from '../../../route.js';
import { calendarMethods } from './calendar/index.js';
import { calendarAclMethods } from './calendarAcl/index.js';
import { calendarEventMethods } from './calendarEvent/index.js';
import { calendarEventAttendeeMethods } from './calendarEventAttendee/index.js';
import { calendarEventAttendeeChatMemberMethods } from './calendarEventAttendeeChatMember/index.js';
import { calendarEventMeetingChatMethods } from './calendarEventMeetingChat/index.js';
import { calendarEventMeetingMinuteMethods } from './calendarEventMeetingMinute/index.js';
import { exchangeBindingMethods } from './exchangeBinding/index.js';
import { freebusyMethods } from './freebusy/index.js';
import { timeoffEventMethods } from './timeoffEvent/index.js';
import { settingMethods } from './setting/index.js';
import { aclSubscriptionMethods, calendarListSubscriptionMethods, eventSubscriptionMethods } from './push/subscription-routes.js';

export const calendarRoutes: readonly Route[] = [...calendarMethods, ...calendarAclMethods, ...calendarEventMethods, ...calendarEventAttendeeMethods, ...calendarEventAttendeeChatMemberMethods, ...freebusyMethods, ...calendarListSubscriptionMethods, ...eventSubscriptionMethods, ...aclSubscriptionMethods, ...timeoffEventMethods, ...calendarEventMeetingChatMethods, ...calendarEventMeetingMinuteMethods, ...exchangeBindingMethods, ...settingMethods];
