import type { Route } from '../../../../route.js';
import { batch } from './batch.js';
import { list } from './list.js';

export const freebusyMethods: readonly Route[] = [list, batch];
