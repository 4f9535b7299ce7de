import type { Route } from '../../../../route.js';
import { list } from './list.js';

export const calendarEventAttendeeChatMemberMethods: readonly Route[] = [list];
