import type { Route } from '../../../../route.js';
import { generateCaldavConf } from './generateCaldavConf.js';

export const settingMethods: readonly Route[] = [generateCaldavConf];
