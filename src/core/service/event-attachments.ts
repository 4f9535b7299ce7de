import { DomainError } from '../errors.js';
import type { Attachment } from '../events/types.js';
import type { StoreReader } from '../ports.js';
import type { Actor } from '../types.js';

/** The total size attachments of one event may reach. */
export const ATTACHMENT_LIMIT_BYTES = 25 * 1024 * 1024;

/** Resolves attachment tokens: the caller's tenant's files only, 25 MB in all. */
export async function resolveAttachments(r: StoreReader, actor: Actor, current: readonly Attachment[], change?: { add: readonly string[]; remove: readonly string[] }): Promise<Attachment[]> {
  if (!change) return [...current];
  const remove = new Set(change.remove);
  const out = current.filter((a) => !remove.has(a.fileToken));
  for (const [i, token] of change.add.entries()) {
    if (out.some((a) => a.fileToken === token)) continue;
    const file = await r.directory.file(actor.tenantKey, token);
    if (!file) {
      const elsewhere = await r.directory.fileInAnyTenant(token);
      throw new DomainError(elsewhere ? 'attachment_forbidden' : 'attachment_invalid',
        elsewhere ? `no permission to access attachment file token ${token}` : `invalid attachment file token ${token}`, `attachments[${i}].file_token`);
    }
    out.push({ fileToken: file.fileToken, name: file.name, size: file.size });
  }
  const total = out.reduce((sum, a) => sum + a.size, 0);
  if (total > ATTACHMENT_LIMIT_BYTES) {
    throw new DomainError('attachment_too_large', `attachments total ${total} bytes, over the 25 MB limit`, 'attachments');
  }
  return out;
}
