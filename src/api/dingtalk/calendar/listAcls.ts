import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { aclsToWire } from './acl-wire.js';
import type { AclWire } from './acl-wire.js';
import { CalendarParams } from './event-schema.js';

/** Rows read per service call; the SDK's ListAcls has no paging, so every ACL is answered. */
const BATCH = 500;

/** `ListAcls`: the calendar's sharing, for its owner: every ACL, whichever dialect made it. */
export const listAcls = defineRoute({
  method: 'GET',
  url: '/calendar/users/:userId/calendars/:calendarId/acls',
  schema: { params: CalendarParams },
  auth: 'required',
  async handle({ params, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const acls: AclWire[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await ctx.calendars.listAcls(user, calendarId, after, BATCH);
      acls.push(...(await aclsToWire(ctx, page.items)));
      if (!page.more || page.items.length === 0) break;
      after = page.items[page.items.length - 1].aclId;
    }
    return { acls };
  },
});
