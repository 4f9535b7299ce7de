// CalDAV: credentials issued by generateCaldavConf / GenerateCaldavAccount, and resource names.
export interface CaldavCredentialTable {
  user_name: string;
  /** SHA-256 of the password: the password itself is never stored. */
  password_hash: string;
  /** SHA-256 of the secret in the user's iCalendar feed URLs. */
  feed_token_hash: string;
  platform: string;
  app_id: string;
  tenant_key: string;
  /** rili's internal user id. */
  user_id: string;
  device_name: string;
  created_at: number;
}

/** A name a CalDAV client chose for an event (`<name>.ics`) and the UID it gave it. */
export interface CaldavResourceTable {
  calendar_id: string;
  name: string;
  uid: string;
  ical_uid: string;
}

export interface CaldavTables {
  caldav_credentials: CaldavCredentialTable;
  caldav_resources: CaldavResourceTable;
}
