import type { Route } from '../../../../route.js';
import { create } from './create.js';
import { del } from './delete.js';

export const calendarEventMeetingChatMethods: readonly Route[] = [create, del];
