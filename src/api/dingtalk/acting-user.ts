import type { AppContext } from '../../context.js';
import type { Actor, User } from '../../core/types.js';
import { DINGTALK_MESSAGES, DingtalkError } from './errors.js';

/** The core's caller for a DingTalk request: always the user the path names. */
export type UserActor = Extract<Actor, { kind: 'user' }>;

export interface Acting {
  readonly actor: UserActor;
  readonly user: User;
}

/**
 * Who acts on `/users/{userId}/…`. An app token acts as that user (DingTalk's model: an app with
 * calendar scope works on the calendars of its organization's users); a user token only as itself.
 * A unionId that is not a user of the caller's organization (another tenant's included) is
 * `invalidParameter`, the same answer whether or not it exists elsewhere.
 */
export async function actingUser(ctx: AppContext, caller: Actor, unionId: string): Promise<Acting> {
  if (unionId.trim() === '') throw new DingtalkError('invalidParameter', 'userId cannot be blank');
  const user = await ctx.directory.userByExternalId(caller.tenantKey, 'union_id', unionId);
  if (!user) throw new DingtalkError('invalidParameter', `userId ${unionId} is not a user of this organization`);
  if (caller.kind === 'user' && caller.userId !== user.id) {
    throw new DingtalkError('permissionDeny', 'a user access token may act only on its own userId');
  }
  return { actor: { kind: 'user', tenantKey: caller.tenantKey, appId: caller.appId, userId: user.id }, user };
}

/** `primary`, the user's primary calendar id, or any other calendar id the core may resolve. */
export function calendarIdOf(calendarId: string): string {
  if (calendarId.trim() === '') throw new DingtalkError('invalidParameter', DINGTALK_MESSAGES.calendarIdBlank);
  return calendarId;
}
