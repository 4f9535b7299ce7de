// Sandbox snapshots and the seeds a database was given (migration 015).
export interface SnapshotTable {
  name: string;
  /** Unix milliseconds, by rili's clock. */
  created_at: number;
  /** Length of `document` in bytes (UTF-8). */
  bytes: number;
  /** The snapshot in the export format (docs/snapshots.md). */
  document: string;
}

export interface AppliedSeedTable {
  /** Order of application; reset replays the seeds in this order. */
  position: number;
  /** SHA-256 of `seed`: the same seed applied again right after itself (every restart) is not added twice. */
  seed_hash: string;
  /** The parsed seed (core/seed.ts `Seed`) as JSON. */
  seed: string;
}

export interface SnapshotTables {
  snapshots: SnapshotTable;
  applied_seeds: AppliedSeedTable;
}
