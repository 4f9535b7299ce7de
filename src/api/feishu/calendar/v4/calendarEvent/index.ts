import type { Route } from '../../../../route.js';
import { create } from './create.js';
import { del } from './delete.js';
import { get } from './get.js';
import { instanceView } from './instanceView.js';
import { instances } from './instances.js';
import { list } from './list.js';
import { patch } from './patch.js';
import { search } from './search.js';
import { reply } from './reply.js';

export const calendarEventMethods: readonly Route[] = [create, get, list, patch, del, instances, instanceView, search, reply];
