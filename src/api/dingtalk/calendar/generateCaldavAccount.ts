import { Type } from 'typebox';
import { davAddress, feedBase } from '../../caldav/addresses.js';
import { defineRoute } from '../../route.js';
import { actingUser } from '../acting-user.js';
import { DingtalkError } from '../errors.js';

/**
 * `GenerateCaldavAccount`: a CalDAV account for a user's device (`device` is required). Generating
 * again for the same device replaces it. `feedUrl` is rili's addition (docs/compatibility.md).
 */
export const generateCaldavAccount = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/caldavAccounts',
  schema: { params: Type.Object({ userId: Type.String() }), body: Type.Optional(Type.Object({ device: Type.Optional(Type.String()) })) },
  auth: 'required',
  async handle({ params, body, actor, request }, ctx) {
    const device = body?.device;
    if (device === undefined || device.trim() === '') throw new DingtalkError('invalidParameter', 'device is required');
    if (device.length > 100) throw new DingtalkError('invalidParameter', 'device is at most 100 characters');
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const issued = await ctx.caldavCredentials.issue(user, 'dingtalk', device);
    return { username: issued.userName, password: issued.password, serverAddress: davAddress(request), feedUrl: feedBase(request, issued.feedToken) };
  },
});
