import { Type } from 'typebox';
import type { AppContext } from '../../../context.js';
import type { SubscribedCalendarFields } from '../../../core/subscribed-calendars.js';
import type { SubscribeScope } from '../../../core/types.js';
import type { SubscribedCalendarView } from '../../../core/service/subscribed-calendar-service.js';
import { DingtalkError } from '../errors.js';

const Strs = Type.Optional(Type.Array(Type.String()));

/** The body CreateSubscribedCalendar and UpdateSubscribedCalendars send. */
export const SubscribedCalendarBody = Type.Object({
  name: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  managers: Strs,
  subscribeScope: Type.Optional(Type.Object({ corpIds: Strs, openConversationIds: Strs, unionIds: Strs })),
});

export const SubscribedParams = Type.Object({ userId: Type.String(), calendarId: Type.String() });

interface BodyWire {
  name?: string;
  description?: string;
  managers?: string[];
  subscribeScope?: { corpIds?: string[]; openConversationIds?: string[]; unionIds?: string[] };
}

/** unionIds of the caller's organization to internal ids; an unknown one names its field. */
async function usersOf(ctx: AppContext, tenantKey: string, unionIds: readonly string[], field: string): Promise<string[]> {
  const out: string[] = [];
  for (const [i, unionId] of unionIds.entries()) {
    const user = await ctx.directory.userByExternalId(tenantKey, 'union_id', unionId);
    if (!user) throw new DingtalkError('invalidParameter', `${field}[${i}] ${unionId} is not a user of this organization`);
    out.push(user.id);
  }
  return [...new Set(out)];
}

/**
 * The request's fields in domain terms. A scope reaches users by unionId, the members of group
 * conversations by openConversationId (the seed's `chats[]`), or a whole organization by corpId (the
 * caller's own only: rili's tenants do not see each other).
 */
export async function fieldsOf(ctx: AppContext, tenantKey: string, body: BodyWire): Promise<SubscribedCalendarFields> {
  let scope: SubscribeScope | undefined;
  if (body.subscribeScope) {
    const s = body.subscribeScope;
    const chatIds: string[] = [];
    for (const [i, id] of (s.openConversationIds ?? []).entries()) {
      if (!(await ctx.directory.chatExists(tenantKey, id))) {
        throw new DingtalkError('invalidParameter', `subscribeScope.openConversationIds[${i}] ${id} is not a group conversation of this organization`);
      }
      chatIds.push(id);
    }
    for (const [i, id] of (s.corpIds ?? []).entries()) {
      if (id !== tenantKey) throw new DingtalkError('invalidParameter', `subscribeScope.corpIds[${i}] ${id} is not the caller's organization`);
    }
    scope = {
      userIds: await usersOf(ctx, tenantKey, s.unionIds ?? [], 'subscribeScope.unionIds'),
      chatIds: [...new Set(chatIds)],
      tenantKeys: [...new Set(s.corpIds ?? [])],
    };
  }
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.managers !== undefined ? { managers: await usersOf(ctx, tenantKey, body.managers, 'managers') } : {}),
    ...(scope ? { scope } : {}),
  };
}

/** GetSubscribedCalendar's body. */
export async function subscribedToWire(ctx: AppContext, view: SubscribedCalendarView) {
  const ids = [...new Set([view.info.author, ...view.info.managers, ...view.info.scope.userIds])];
  const unionOf = new Map((await ctx.directory.users(ids)).map((u) => [u.id, u.unionId]));
  const union = (id: string) => unionOf.get(id) ?? '';
  return {
    calendarId: view.calendarId,
    name: view.name,
    description: view.description,
    author: union(view.info.author),
    managers: view.info.managers.map(union),
    subscribeScope: {
      unionIds: view.info.scope.userIds.map(union),
      openConversationIds: [...view.info.scope.chatIds],
      corpIds: [...view.info.scope.tenantKeys],
    },
  };
}
