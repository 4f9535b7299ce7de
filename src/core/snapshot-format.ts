/**
 * The snapshot document: what `rili export` writes, `rili import` reads and the snapshots table keeps
 * (docs/snapshots.md). JSON, with a format name and version for this envelope and the migration the
 * rows are shaped by, so a later rili reads it: the envelope by its version, the rows by upgrading
 * them from that migration (src/store/snapshot-store.ts).
 */
import type { StoreDump } from './ports.js';

export const SNAPSHOT_FORMAT = 'rili-snapshot';
/** The envelope's version; the rows' shape is versioned by `migration`. */
export const SNAPSHOT_VERSION = 1;

export interface SnapshotDocument {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: number;
  readonly migration: string;
  /** Unix milliseconds, by rili's clock. */
  readonly created_at_ms: number;
  readonly change_seq: number;
  readonly tables: StoreDump['tables'];
}

/** A snapshot document refused: not one, or of a version this rili does not read. */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

export function encodeSnapshot(dump: StoreDump, createdAtMs: number): string {
  const document: SnapshotDocument = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    migration: dump.migration,
    created_at_ms: createdAtMs,
    change_seq: dump.changeSeq,
    tables: dump.tables,
  };
  return JSON.stringify(document);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The dump a document holds; a SnapshotFormatError says why it cannot be read. */
export function decodeSnapshot(text: string): StoreDump & { readonly createdAtMs: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFormatError(`not JSON (${(error as Error).message})`);
  }
  if (!isObject(json) || json.format !== SNAPSHOT_FORMAT) throw new SnapshotFormatError(`not a rili snapshot (no "format": "${SNAPSHOT_FORMAT}")`);
  if (typeof json.version !== 'number' || !Number.isInteger(json.version) || json.version < 1) throw new SnapshotFormatError('"version" is not a positive integer');
  if (json.version > SNAPSHOT_VERSION) {
    throw new SnapshotFormatError(`version ${json.version} is newer than this rili reads (${SNAPSHOT_VERSION}); use a newer rili`);
  }
  if (typeof json.migration !== 'string' || json.migration === '') throw new SnapshotFormatError('"migration" is missing');
  if (typeof json.change_seq !== 'number' || !Number.isSafeInteger(json.change_seq) || json.change_seq < 0) throw new SnapshotFormatError('"change_seq" is not a non-negative integer');
  if (!isObject(json.tables)) throw new SnapshotFormatError('"tables" is not an object');
  for (const [name, rows] of Object.entries(json.tables)) {
    if (!Array.isArray(rows) || !rows.every(isObject)) throw new SnapshotFormatError(`table "${name}" is not a list of rows`);
  }
  return {
    migration: json.migration,
    changeSeq: json.change_seq,
    createdAtMs: typeof json.created_at_ms === 'number' ? json.created_at_ms : 0,
    tables: json.tables as StoreDump['tables'],
  };
}
