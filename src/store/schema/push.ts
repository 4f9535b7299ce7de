// Push (migration 015): apps' users' subscriptions to calendar changes.
export interface PushSubscriptionTable {
  app_id: string;
  /** Internal user id. */
  user_id: string;
  topic: string;
  /** '' for the calendar-list topic. */
  calendar_id: string;
  tenant_key: string;
  created_at: number;
}

export interface PushTables {
  push_subscriptions: PushSubscriptionTable;
}
