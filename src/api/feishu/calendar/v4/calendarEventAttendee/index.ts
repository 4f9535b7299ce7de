import type { Route } from '../../../../route.js';
import { batchDelete } from './batchDelete.js';
import { create } from './create.js';
import { list } from './list.js';

export const calendarEventAttendeeMethods: readonly Route[] = [create, list, batchDelete];
