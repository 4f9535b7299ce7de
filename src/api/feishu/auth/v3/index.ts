import type { Route } from '../../../route.js';
import { appAccessTokenInternal } from './appAccessToken/internal.js';
import { tenantAccessTokenInternal } from './tenantAccessToken/internal.js';

export const authRoutes: readonly Route[] = [tenantAccessTokenInternal, appAccessTokenInternal];
