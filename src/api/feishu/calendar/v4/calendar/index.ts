import type { Route } from '../../../../route.js';
import { create } from './create.js';
import { del } from './delete.js';
import { get } from './get.js';
import { list } from './list.js';
import { mget } from './mget.js';
import { patch } from './patch.js';
import { primary } from './primary.js';
import { primarys } from './primarys.js';
import { search } from './search.js';
import { subscribe } from './subscribe.js';
import { unsubscribe } from './unsubscribe.js';

// Static paths (primary, primarys, mget, search) are matched before `:calendar_id` by the router.
export const calendarMethods: readonly Route[] = [create, get, list, patch, del, primary, primarys, mget, search, subscribe, unsubscribe];
