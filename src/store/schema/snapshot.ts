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
  /** SHA-256 of `seed`: applying the same seed again moves it to the end instead of adding it twice. */
  seed_hash: string;
  /** Order of the latest application; reset replays the seeds in this order. */
  position: number;
  /** The parsed seed (core/seed.ts `Seed`) as JSON. */
  seed: string;
}

export interface SnapshotTables {
  snapshots: SnapshotTable;
  applied_seeds: AppliedSeedTable;
}
