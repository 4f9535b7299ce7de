import type { AppContext } from '../../../context.js';
import type { CalendarAcl } from '../../../core/types.js';
import { DingtalkError } from '../errors.js';

type AclRole = CalendarAcl['role'];

/** The privilege DingTalk names for each role an ACL grants (the same ACLs Feishu's `role` names). */
export const PRIVILEGE_OF_ROLE: Readonly<Record<AclRole, string>> = {
  owner: 'owner',
  writer: 'writer',
  reader: 'reader',
  free_busy_reader: 'free_busy_reader',
};

/**
 * Privileges a CreateAcls may name. `freeBusyReader` is ListCalendars' spelling of the same role,
 * taken too; `title_reader` has no rili role (see docs/compatibility.md) and is refused with the rest.
 */
const ROLE_OF_PRIVILEGE: ReadonlyMap<string, AclRole> = new Map<string, AclRole>([
  ['owner', 'owner'],
  ['writer', 'writer'],
  ['reader', 'reader'],
  ['free_busy_reader', 'free_busy_reader'],
  ['freeBusyReader', 'free_busy_reader'],
]);

/** The role a privilege grants; anything else is `invalidParameter` naming `privilege`. */
export function roleOfPrivilege(privilege: string | undefined): AclRole {
  if (privilege === undefined || privilege.trim() === '') throw new DingtalkError('invalidParameter', 'privilege is required');
  const role = ROLE_OF_PRIVILEGE.get(privilege);
  if (!role) throw new DingtalkError('invalidParameter', `privilege ${privilege} is not one of owner, writer, reader, free_busy_reader`);
  return role;
}

export interface AclWire {
  aclId: string;
  privilege: string;
  scope: { scopeType: 'user'; userId: string };
}

/** ACLs as DingTalk answers them: the grantee by unionId. */
export async function aclsToWire(ctx: AppContext, acls: readonly CalendarAcl[]): Promise<AclWire[]> {
  const users = new Map((await ctx.directory.users(acls.map((a) => a.userId))).map((u) => [u.id, u]));
  return acls.map((a) => ({
    aclId: a.aclId,
    privilege: PRIVILEGE_OF_ROLE[a.role],
    scope: { scopeType: 'user', userId: users.get(a.userId)?.unionId ?? '' },
  }));
}
