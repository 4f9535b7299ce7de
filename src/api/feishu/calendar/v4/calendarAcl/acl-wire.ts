import type { UserIdType } from '../../../../../core/ports.js';
import type { CalendarAcl, User } from '../../../../../core/types.js';
import { userWireId } from '../../../wire-ids.js';

export function aclToWire(acl: CalendarAcl, user: User | undefined, type: UserIdType | undefined) {
  return { acl_id: acl.aclId, role: acl.role, scope: { type: 'user', user_id: user ? userWireId(user, type) : '' } };
}
