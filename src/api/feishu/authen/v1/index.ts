import type { Route } from '../../../route.js';
import { accessTokenCreate } from './accessToken/create.js';
import { authorizeChoice, authorizePage } from './authorize.js';
import { indexPage } from './indexPage.js';
import { oidcAccessTokenCreate } from './oidcAccessToken/create.js';
import { oidcRefreshAccessTokenCreate } from './oidcRefreshAccessToken/create.js';
import { refreshAccessTokenCreate } from './refreshAccessToken/create.js';
import { userInfoGet } from './userInfo/get.js';

export const authenV1Routes: readonly Route[] = [
  authorizePage, authorizeChoice, indexPage,
  oidcAccessTokenCreate, oidcRefreshAccessTokenCreate, accessTokenCreate, refreshAccessTokenCreate, userInfoGet,
];
