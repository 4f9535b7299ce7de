import type { Actor, StoredFile } from '../types.js';
import type { CoreDeps } from './calendar-service.js';

/** Uploaded files that events can attach: rili keeps their name and size, not their bytes. */
export class FileService {
  constructor(private readonly deps: CoreDeps) {}

  /** Stores an upload as a file of the caller's tenant, under a new `boxcn…` token. */
  upload(actor: Actor, file: { readonly name: string; readonly size: number }): Promise<StoredFile> {
    return this.deps.store.transact(async (w) => {
      const stored: StoredFile = { fileToken: `boxcn${this.deps.ids.random(22)}`, tenantKey: actor.tenantKey, name: file.name, size: file.size };
      await w.directory.putFile(stored);
      return stored;
    });
  }
}
