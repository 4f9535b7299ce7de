import type { Route } from '../../../../route.js';
import { create } from './create.js';
import { del } from './delete.js';
import { list } from './list.js';

export const calendarAclMethods: readonly Route[] = [create, list, del];
