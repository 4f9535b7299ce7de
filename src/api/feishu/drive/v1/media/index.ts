import type { Route } from '../../../../route.js';
import { uploadAll } from './uploadAll.js';

export const mediaMethods: readonly Route[] = [uploadAll];
