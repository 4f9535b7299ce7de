import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { UserParams } from './event-schema.js';

/** Most legacy ids one call converts. */
export const LEGACY_IDS_MAX = 100;

/**
 * `ConvertLegacyEventId`: maps legacy event ids (in rili, an event's uid: its id without the
 * `_<original start>` suffix) to current ids, for the events the user has; others are left out.
 */
export const convertLegacyEventId = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/legacyEventIds/convert',
  schema: { params: UserParams, body: Type.Object({ legacyEventIds: Type.Optional(Type.Array(Type.String())) }) },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const ids = body.legacyEventIds;
    if (!ids || ids.length === 0) throw new DingtalkError('invalidParameter', 'legacyEventIds cannot be empty');
    if (ids.length > LEGACY_IDS_MAX) throw new DingtalkError('invalidParameter', `legacyEventIds holds at most ${LEGACY_IDS_MAX} ids`);
    const map = await ctx.events.lookups.convertLegacyIds(user.tenantKey, user.userId, ids);
    return { legacyEventIdMap: Object.fromEntries(map) };
  },
});
