import { Type } from 'typebox';
import { davAddress, feedBase } from '../../../../caldav/addresses.js';
import { defineRoute } from '../../../../route.js';
import { FeishuError } from '../../../errors.js';

/**
 * `client.calendar.v4.setting.generateCaldavConf`: a CalDAV user name and password for the calling
 * user's device (user token only). Generating again for the same device replaces the credential.
 * `feed_url` is rili's addition: the base of the user's read-only iCalendar feeds (docs/compatibility.md).
 */
export const generateCaldavConf = defineRoute({
  method: 'POST',
  url: '/calendar/v4/settings/generate_caldav_conf',
  schema: { body: Type.Optional(Type.Object({ device_name: Type.Optional(Type.String({ maxLength: 100 })) })) },
  auth: 'required',
  async handle({ body, actor, request }, ctx) {
    if (actor.kind !== 'user') throw new FeishuError(99991668, 'generate_caldav_conf needs a user_access_token');
    const issued = await ctx.caldavCredentials.issue(actor, 'feishu', body?.device_name ?? '');
    return {
      password: issued.password,
      user_name: issued.userName,
      server_address: davAddress(request),
      device_name: issued.deviceName,
      feed_url: feedBase(request, issued.feedToken),
    };
  },
});
