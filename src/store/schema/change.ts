// The change log (migration 013): one row per change record, and how far it has been pruned.
export interface ChangeLogTable {
  seq: number;
  at: number;
  tenant_key: string;
  app_id: string | null;
  user_id: string | null;
  calendar_id: string | null;
  object: string;
  object_id: string;
  uid: string | null;
  instance_start: number | null;
  kind: string;
  /** JSON array of internal user ids. */
  audience: string;
  /** JSON: what the record carries beyond its object's id (a deleted ACL's grant; migration 029), or null. */
  detail: string | null;
}

export interface ChangeLogFloorTable {
  id: number;
  /** Every record with seq at or below this has been pruned. */
  pruned_through: number;
}

export interface ChangeTables {
  change_log: ChangeLogTable;
  change_log_floor: ChangeLogFloorTable;
}
