/** What shared query code may ask of the database it runs on, instead of asking which one it is. */
export interface StoreCapabilities {
  /** The case-insensitive LIKE operator. */
  readonly ilike: 'like' | 'ilike';
  /** Whether a write transaction must open with BEGIN IMMEDIATE (SQLite) to take the write lock up front. */
  readonly beginImmediate: boolean;
  /** Whether `SELECT … FOR UPDATE` row locks exist. */
  readonly rowLocks: boolean;
}
