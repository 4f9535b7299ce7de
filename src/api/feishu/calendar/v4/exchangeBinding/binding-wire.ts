import type { Actor } from '../../../../../core/types.js';
import type { ExchangeBinding } from '../../../../../core/service/extras-service.js';
import type { UserIdType } from '../../../../../core/ports.js';
import type { AppContext } from '../../../../../context.js';
import { FeishuError } from '../../../errors.js';
import { userWireId } from '../../../wire-ids.js';

/** Exchange bindings are an administrator's: a user token only (the gateway refuses a tenant token). */
export function userOnly(actor: Actor): void {
  if (actor.kind !== 'user') throw new FeishuError(99991668, 'this method needs a user_access_token');
}

export async function bindingToWire(ctx: AppContext, b: ExchangeBinding, type: UserIdType | undefined, status = b.status) {
  const user = await ctx.directory.user(b.userId);
  return {
    admin_account: b.adminAccount, exchange_account: b.exchangeAccount, user_id: user ? userWireId(user, type) : '',
    status, exchange_binding_id: b.bindingId,
  };
}
