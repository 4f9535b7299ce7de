/** What shared query code may ask of the database it runs on, instead of asking which one it is. */
export interface StoreCapabilities {
  /**
   * The SQL function that lower-cases text in every script, for case-insensitive search: PostgreSQL's
   * lower() follows the database's locale; SQLite's folds ASCII only, so rili registers `rili_lower`
   * (sqlite/unicode-lower.ts) on each connection. Used through `text-match.ts`.
   */
  readonly lower: 'lower' | 'rili_lower';
  /** Whether a write transaction must open with BEGIN IMMEDIATE (SQLite) to take the write lock up front. */
  readonly beginImmediate: boolean;
  /** Whether `SELECT … FOR UPDATE` row locks exist. */
  readonly rowLocks: boolean;
}
