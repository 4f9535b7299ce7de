// Shared request counters for the platforms' rate limits (PostgreSQL only; SQLite counts per process).
export interface RateCountTable {
  /** What is limited, e.g. `feishu|cli_x|POST /calendars/:calendar_id/events/search`. */
  key: string;
  window_seconds: number;
  /** When the current window began, Unix milliseconds; a later window replaces it. */
  window_start: number;
  count: number;
  /** The limit the last counted request was held to (the upsert's condition needs it in the row). */
  max_count: number;
}

export interface RateCountTables {
  rate_counts: RateCountTable;
}
