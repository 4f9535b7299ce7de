// Calendar tables: calendars, their ACLs, subscriptions (calendar lists) and the change sequence.
export interface CalendarTable {
  calendar_id: string;
  tenant_key: string;
  type: string;
  owner: string;
  summary: string;
  description: string;
  permissions: string;
  color: number;
  /** 0 or 1 on both databases. */
  is_deleted: number;
  created_at: number;
  seq: number;
}

export interface CalendarAclTable {
  acl_id: string;
  calendar_id: string;
  role: string;
  user_id: string;
}

export interface SubscriptionTable {
  principal: string;
  calendar_id: string;
  summary_alias: string;
  color: number | null;
  active: number;
  seq: number;
}

export interface SeqTable {
  id: number;
  value: number;
}

export interface CalendarTables {
  calendars: CalendarTable;
  calendar_acls: CalendarAclTable;
  subscriptions: SubscriptionTable;
  change_seq: SeqTable;
}
