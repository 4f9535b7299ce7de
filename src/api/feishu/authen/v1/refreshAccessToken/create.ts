import { defineRoute } from '../../../../route.js';
import { RefreshGrantBody, refreshV1 } from '../oidcRefreshAccessToken/create.js';
import { appOfBearer, profileOf, v1TokenData } from '../../sign-in.js';

/** `client.authen.refreshAccessToken.create`: the older v1 refresh, with the user's profile. */
export const refreshAccessTokenCreate = defineRoute({
  method: 'POST',
  url: '/authen/v1/refresh_access_token',
  schema: { body: RefreshGrantBody },
  auth: 'none',
  async handle({ body, request }, ctx) {
    const app = await appOfBearer(ctx, request);
    const issued = await refreshV1(ctx, app.appId, body);
    const user = await ctx.store.read((r) => r.directory.user(issued.grant.userId));
    return { ...v1TokenData(ctx, issued.grant, issued.refreshToken), ...(user ? profileOf(user) : {}), sid: issued.grant.id };
  },
});
