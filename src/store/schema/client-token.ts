// DingTalk x-client-token claims: one row per (app, token), kept for a day.
export interface ClientTokenTable {
  app_id: string;
  token: string;
  /** SHA-256 of what the request asked for: the same token must carry the same request. */
  request_hash: string;
  /** `processing` while the first request runs, then `done`. */
  state: string;
  /** The first response, once done. */
  status: number | null;
  body: string | null;
  /** When the claim was made, Unix seconds. */
  created_at: number;
}

export interface ClientTokenTables {
  dingtalk_client_tokens: ClientTokenTable;
}
