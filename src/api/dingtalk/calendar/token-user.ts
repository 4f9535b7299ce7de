import type { AppContext } from '../../../context.js';
import type { Actor } from '../../../core/types.js';
import type { Route, RouteInput, RouteSchemas } from '../../route.js';
import { DingtalkError } from '../errors.js';

/**
 * The `…ByMe` operations act for the user whose access token calls them (`/calendar/me/…`). An app
 * access token names no user: `permissionDeny` (docs/compatibility.md).
 */
export async function tokenUserUnionId(ctx: AppContext, actor: Actor): Promise<string> {
  if (actor.kind !== 'user') throw new DingtalkError('permissionDeny', 'this operation acts for the access token\'s own user: call it with a user access token');
  const user = await ctx.directory.user(actor.userId);
  if (!user) throw new DingtalkError('InvalidAuthentication', 'the access token\'s user no longer exists');
  return user.unionId;
}

/**
 * Runs a `/users/{userId}/…` operation for the token's own user: the same handler, validation and
 * answers, with the path's userId the token user's unionId.
 */
export async function asTokenUser(route: Route, input: RouteInput<RouteSchemas>, ctx: AppContext, params: Record<string, string>): Promise<unknown> {
  const userId = await tokenUserUnionId(ctx, input.actor);
  return route.handle({ ...input, params: { ...params, userId } }, ctx);
}
