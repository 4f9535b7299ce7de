import type { Route } from '../../../route.js';
import { oauthToken } from './oauth/token.js';

export const authenV2Routes: readonly Route[] = [oauthToken];
