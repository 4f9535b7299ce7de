// Time off, events' meeting chats and minutes, Exchange bindings (migration 024).
export interface TimeoffEventTable {
  tenant_key: string;
  timeoff_event_id: string;
  /** Internal user id. */
  user_id: string;
  app_id: string;
  /** The event it shows as, on `calendar_id` (the user's primary calendar). */
  uid: string;
  calendar_id: string;
  timezone: string;
  /** JSON EventTime, as given (an all-day end is the last day, inclusive). */
  start_time: string;
  end_time: string;
  title: string;
  description: string;
  seq: number;
}

export interface MeetingChatTable {
  /** The event's series. */
  uid: string;
  chat_id: string;
  tenant_key: string;
  /** Principal key of the chat's owner. */
  owner: string;
  seq: number;
}

export interface MeetingMinuteTable {
  uid: string;
  tenant_key: string;
  doc_url: string;
  seq: number;
}

export interface ExchangeBindingTable {
  tenant_key: string;
  exchange_binding_id: string;
  admin_account: string;
  exchange_account: string;
  /** The Exchange account in lower case: one binding per account and tenant. */
  account_key: string;
  /** Internal user id. */
  user_id: string;
  status: string;
  created_at: number;
  seq: number;
}

export interface ExtrasTables {
  timeoff_events: TimeoffEventTable;
  meeting_chats: MeetingChatTable;
  meeting_minutes: MeetingMinuteTable;
  exchange_bindings: ExchangeBindingTable;
}
