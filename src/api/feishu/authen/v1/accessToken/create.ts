import { defineRoute } from '../../../../route.js';
import { exchangeV1, CodeGrantBody } from '../oidcAccessToken/create.js';
import { appOfBearer, v1TokenDataWithProfile } from '../../sign-in.js';

/** `client.authen.accessToken.create`: the older v1 exchange, whose `data` also carries the user's profile. */
export const accessTokenCreate = defineRoute({
  method: 'POST',
  url: '/authen/v1/access_token',
  schema: { body: CodeGrantBody },
  auth: 'none',
  async handle({ body, request }, ctx) {
    const app = await appOfBearer(ctx, request);
    const issued = await exchangeV1(ctx, app.appId, body);
    return v1TokenDataWithProfile(ctx, issued.grant, issued.refreshToken);
  },
});
