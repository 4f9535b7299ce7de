import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { actingUser, calendarIdOf } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { aclsToWire, roleOfPrivilege } from './acl-wire.js';
import { CalendarParams } from './event-schema.js';

const Str = Type.Optional(Type.String());

/**
 * `CreateAcls`: the calendar's owner shares it with one user of the organization (by unionId). It is
 * the ACL Feishu's calendarAcl manages: granting a user who already holds one changes its privilege
 * and keeps its aclId. `sendMsg` is accepted; rili sends no messages.
 */
export const createAcls = defineRoute({
  method: 'POST',
  url: '/calendar/users/:userId/calendars/:calendarId/acls',
  schema: {
    params: CalendarParams,
    body: Type.Object({
      privilege: Str,
      scope: Type.Optional(Type.Object({ scopeType: Str, userId: Str })),
      sendMsg: Type.Optional(Type.Boolean()),
    }),
  },
  auth: 'required',
  async handle({ params, body, actor }, ctx) {
    const calendarId = calendarIdOf(params.calendarId);
    const { actor: user } = await actingUser(ctx, actor, params.userId);
    const role = roleOfPrivilege(body.privilege);
    if (!body.scope) throw new DingtalkError('invalidParameter', 'scope is required');
    if (body.scope.scopeType !== 'user') throw new DingtalkError('invalidParameter', `scope.scopeType must be user, got ${body.scope.scopeType ?? 'nothing'}`);
    const unionId = body.scope.userId ?? '';
    if (unionId.trim() === '') throw new DingtalkError('invalidParameter', 'scope.userId is required');
    const grantee = await ctx.directory.userByExternalId(user.tenantKey, 'union_id', unionId);
    if (!grantee) throw new DingtalkError('invalidParameter', `scope.userId ${unionId} is not a user of this organization`);
    const acl = await ctx.calendars.createAcl(user, calendarId, role, grantee.id);
    return (await aclsToWire(ctx, [acl]))[0];
  },
});
