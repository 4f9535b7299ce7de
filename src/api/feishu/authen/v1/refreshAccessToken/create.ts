import { defineRoute } from '../../../../route.js';
import { RefreshGrantBody, refreshV1 } from '../oidcRefreshAccessToken/create.js';
import { appOfBearer, v1TokenDataWithProfile } from '../../sign-in.js';

/** `client.authen.refreshAccessToken.create`: the older v1 refresh, with the user's profile. */
export const refreshAccessTokenCreate = defineRoute({
  method: 'POST',
  url: '/authen/v1/refresh_access_token',
  schema: { body: RefreshGrantBody },
  auth: 'none',
  async handle({ body, request }, ctx) {
    const app = await appOfBearer(ctx, request);
    const issued = await refreshV1(ctx, app.appId, body);
    return v1TokenDataWithProfile(ctx, issued.grant, issued.refreshToken);
  },
});
