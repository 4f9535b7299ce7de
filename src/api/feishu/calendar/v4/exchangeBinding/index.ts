import type { Route } from '../../../../route.js';
import { create } from './create.js';
import { del } from './delete.js';
import { get } from './get.js';

export const exchangeBindingMethods: readonly Route[] = [create, get, del];
