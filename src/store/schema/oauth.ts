// Sign-in: authorization codes (hashed; five minutes, single use) and the grants they become.
export interface OAuthCodeTable {
  /** SHA-256 of the code: the code itself is never stored. */
  code_hash: string;
  platform: string;
  app_id: string;
  tenant_key: string;
  user_id: string;
  /** Space-separated scopes granted; null: every scope. */
  scope: string | null;
  redirect_uri: string | null;
  code_challenge: string | null;
  challenge_method: string | null;
  created_at: number;
  expires_at: number;
  /** When the code was exchanged, and the grant that made. */
  used_at: number | null;
  grant_id: string | null;
}

export interface OAuthGrantTable {
  id: string;
  platform: string;
  /** Which token endpoints may refresh it: `v1` (Feishu OIDC), `v2` (Feishu OAuth 2) or `dingtalk`. */
  flow: string;
  app_id: string;
  tenant_key: string;
  user_id: string;
  scope: string | null;
  /** Bumped by every refresh; access tokens carry the generation that issued them. */
  generation: number;
  /** SHA-256 of the one refresh token in force; null when none was issued or it was spent. */
  refresh_hash: string | null;
  refresh_expires_at: number | null;
  rotated_at: number | null;
  revoked_at: number | null;
  created_at: number;
}

export interface OAuthTables {
  oauth_codes: OAuthCodeTable;
  oauth_grants: OAuthGrantTable;
}
