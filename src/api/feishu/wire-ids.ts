import type { UserIdType } from '../../core/ports.js';
import type { User } from '../../core/types.js';

/** A user's id as the caller asked for it with `user_id_type`. */
export function userWireId(user: User, type: UserIdType | undefined): string {
  switch (type ?? 'open_id') {
    case 'user_id':
      return user.userId;
    case 'union_id':
      return user.unionId;
    default:
      return user.openId;
  }
}
