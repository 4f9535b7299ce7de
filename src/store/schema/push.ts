// Push (migration 016): apps' users' subscriptions to calendar changes.
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


// Push delivery (migration 017).
export interface PushConfigTable {
  app_id: string;
  request_url: string | null;
  encrypt_key: string | null;
  verification_token: string | null;
  updated_at: number;
  /** Migration 018: when the app first opened a long connection. */
  long_connection_at: number | null;
}

export interface PushCursorTable {
  app_id: string;
  /** The last change record this app has been given or passed over. */
  seq: number;
}

export interface PushDeliveryTable {
  id: string;
  app_id: string;
  tenant_key: string;
  event_id: string;
  event_type: string;
  seq: number;
  body: string;
  status: string;
  attempts: number;
  next_at: number;
  created_at: number;
  last_attempt: string | null;
  /** Migration 018: the merge window of an event-change push (app, calendar, event), its end, what it merged (JSON). */
  merge_key: string | null;
  merge_until: number | null;
  merge_state: string | null;
}

export interface PushTables {
  push_subscriptions: PushSubscriptionTable;
  push_configs: PushConfigTable;
  push_cursors: PushCursorTable;
  push_deliveries: PushDeliveryTable;
}
