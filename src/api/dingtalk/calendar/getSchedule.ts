import { Type } from 'typebox';
import { DomainError } from '../../../core/errors.js';
import { BUSY_ANSWER_MAX } from '../../../core/events/busy.js';
import { ReadBudget } from '../../../core/events/read-budget.js';
import { defineRoute } from '../../route.js';
import { actingUser } from '../acting-user.js';
import { DEFAULT_ZONE, formatDateTime, parseDateTime } from '../date-time.js';
import { DingtalkError } from '../errors.js';
import { dingtalkFieldName } from '../field-names.js';
import { UserParams } from './event-schema.js';

/** Users one query may name (reference/dingtalk.md §2.9). */
export const MAX_SCHEDULE_USERS = 20;
/** The longest window one query may span: DingTalk documents none; rili takes Feishu's free/busy bound. */
export const MAX_SCHEDULE_SECONDS = 90 * 86_400;

const illegal = (detail: string): never => {
  throw new DingtalkError('paramIllegal', `PARAM ILLEGAL: ${detail}`);
};

/**
 * `GetSchedule` (querySchedule): busy time of up to 20 users of the organization in [startTime,
 * endTime), at most 90 days. A user who cannot be answered for gets an `error` in their entry, not
 * an HTTP error. Items are timed, shown in Asia/Shanghai (DingTalk's default); a tentative answer is
 * TENTATIVE. A user named twice is answered once; all users share one expansion budget and one
 * ceiling on items (BUSY_ANSWER_MAX split evenly).
 */
export const getSchedule = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/querySchedule',
  schema: {
    params: UserParams,
    body: Type.Object({ userIds: Type.Optional(Type.Unknown()), startTime: Type.Optional(Type.Unknown()), endTime: Type.Optional(Type.Unknown()) }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const { userIds, startTime, endTime } = body;
    if (!Array.isArray(userIds) || userIds.length === 0 || !userIds.every((u) => typeof u === 'string')) illegal('userIds must be a non-empty list of unionIds');
    if ((userIds as string[]).length > MAX_SCHEDULE_USERS) illegal(`userIds holds at most ${MAX_SCHEDULE_USERS} users`);
    const from = typeof startTime === 'string' ? parseDateTime(startTime) : undefined;
    const to = typeof endTime === 'string' ? parseDateTime(endTime) : undefined;
    if (from === undefined) illegal('startTime must be an ISO-8601 date-time');
    if (to === undefined) illegal('endTime must be an ISO-8601 date-time');
    if (to! <= from!) illegal('endTime must be after startTime');
    if (to! - from! > MAX_SCHEDULE_SECONDS) illegal('startTime and endTime must be at most 90 days apart');
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const scheduleInformation: Array<Record<string, unknown>> = [];
    const distinct = [...new Set(userIds as string[])];
    const budget = new ReadBudget();
    const maxIntervals = Math.floor(BUSY_ANSWER_MAX / distinct.length);
    for (const unionId of distinct) {
      const target = await ctx.directory.userByExternalId(user.tenantKey, 'union_id', unionId);
      if (!target) {
        scheduleInformation.push({ userId: unionId, error: 'user not found in this organization', scheduleItems: [] });
        continue;
      }
      try {
        const busy = await ctx.events.busy(user, { userId: target.id }, from!, to!, { budget, maxIntervals });
        scheduleInformation.push({
          userId: unionId,
          scheduleItems: busy.map((b) => ({
            status: b.rsvp === 'tentative' ? 'TENTATIVE' : 'BUSY',
            start: { dateTime: formatDateTime(b.start, DEFAULT_ZONE), timeZone: DEFAULT_ZONE },
            end: { dateTime: formatDateTime(b.end, DEFAULT_ZONE), timeZone: DEFAULT_ZONE },
          })),
        });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        scheduleInformation.push({ userId: unionId, error: error.inTermsOf(dingtalkFieldName).message, scheduleItems: [] });
      }
    }
    return { scheduleInformation };
  },
});
