/**
 * The sandbox's state operations: reset to the seeds, named snapshots, export and import. Each
 * replacement of the state runs in one transaction that also restarts the change log (ports.ts
 * `ChangeLogWriter.restart`): the sequence never goes back, and every sync token or follower from
 * before answers expired, so clients list afresh instead of trusting deltas that no longer hold.
 */
import { decodeSnapshot, encodeSnapshot } from '../snapshot-format.js';
import type { Seed } from '../seed.js';
import type { SnapshotInfo, StoreWriter } from '../ports.js';
import type { PrincipalKey } from '../types.js';
import type { CoreDeps } from './calendar-service.js';
import type { BornCalendarId, DirectoryService } from './directory-service.js';

/** What a reset or restore did: the log is pruned through `changeSeq`, every older sync position expired. */
export interface StateReplaced {
  readonly changeSeq: number;
}

/** Owners of the calendars a seed gives birth to (directory-service.ts `seedInto`). */
function seededOwners(seed: Seed): PrincipalKey[] {
  return seed.tenants.flatMap((t) => [
    ...t.users.map((u): PrincipalKey => `u:${u.id}`),
    ...t.apps.filter((a) => a.platform === 'feishu').map((a): PrincipalKey => `a:${a.appId}`),
    ...t.rooms.map((r): PrincipalKey => `r:${r.roomId}`),
  ]);
}

const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

export class SnapshotService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * Back to what the database's seeds made (every seed it was given, replayed in order), nothing a
   * client added: no events, shared calendars, ACLs, sign-in grants. The seeded principals' calendars
   * keep their ids. `undefined` when the database remembers no seed (one seeded before rili kept them).
   */
  reset(): Promise<StateReplaced | undefined> {
    return this.deps.store.transact(async (w) => {
      const seeds = await w.snapshots.appliedSeeds();
      if (seeds.length === 0) return undefined;
      const kept = new Map<PrincipalKey, BornCalendarId>();
      for (const owner of new Set(seeds.flatMap(seededOwners))) {
        const calendar = (await w.calendars.calendarsOwnedBy(owner)).find((c) => c.type === 'primary' || c.type === 'resource');
        if (calendar) kept.set(owner, { calendarId: calendar.calendarId, createdAt: calendar.createdAt });
      }
      await w.snapshots.clear();
      for (const seed of seeds) await this.directory.seedInto(w, seed, (owner) => kept.get(owner));
      return { changeSeq: await w.changes.restart() };
    });
  }

  /** The whole state as a snapshot document (the export format). */
  async exportDocument(): Promise<string> {
    const dump = await this.deps.store.read((r) => r.snapshots.dump());
    return encodeSnapshot(dump, this.deps.clock.now());
  }

  /** Replaces the whole state with a document's; a SnapshotFormatError or Error says why it cannot. */
  importDocument(document: string): Promise<StateReplaced> {
    const dump = decodeSnapshot(document);
    return this.deps.store.transact((w) => this.replaceWith(w, dump));
  }

  /** Saves the state under `name`, replacing a snapshot of that name. */
  async save(name: string): Promise<SnapshotInfo & { readonly replaced: boolean }> {
    // Dumped in one read snapshot (consistent on every database), then kept.
    const document = await this.exportDocument();
    const info: SnapshotInfo = { name, createdAt: this.deps.clock.now(), bytes: byteLength(document) };
    const replaced = await this.deps.store.transact((w) => w.snapshots.saveSnapshot(info, document));
    return { ...info, replaced };
  }

  list(): Promise<SnapshotInfo[]> {
    return this.deps.store.read((r) => r.snapshots.savedSnapshots());
  }

  /** Back to a saved snapshot; undefined when there is none of that name. */
  restore(name: string): Promise<StateReplaced | undefined> {
    return this.deps.store.transact(async (w) => {
      const document = await w.snapshots.savedSnapshot(name);
      if (document === undefined) return undefined;
      return this.replaceWith(w, decodeSnapshot(document));
    });
  }

  delete(name: string): Promise<boolean> {
    return this.deps.store.transact((w) => w.snapshots.deleteSnapshot(name));
  }

  private async replaceWith(w: StoreWriter, dump: ReturnType<typeof decodeSnapshot>): Promise<StateReplaced> {
    await w.snapshots.load(dump);
    return { changeSeq: await w.changes.restart() };
  }
}
