import type { Route } from '../../../../route.js';
import { create } from './create.js';

export const calendarEventMeetingMinuteMethods: readonly Route[] = [create];
