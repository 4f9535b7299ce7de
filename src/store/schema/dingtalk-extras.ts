// DingTalk-only state: subscribed calendars' metadata, event sign-ins/outs, tenants' event categories.
export interface SubscribedCalendarTable {
  calendar_id: string;
  tenant_key: string;
  author: string;
  /** JSON arrays of internal user ids, chat ids and tenant keys. */
  managers: string;
  scope_users: string;
  scope_chats: string;
  scope_tenants: string;
  seq: number;
}

export interface EventSignInTable {
  event_id: string;
  kind: string;
  user_id: string;
  at: number;
}

export interface CategoryTable {
  tenant_key: string;
  category_id: string;
  display_name: string;
  position: number;
}

export interface DingtalkExtraTables {
  subscribed_calendars: SubscribedCalendarTable;
  event_sign_ins: EventSignInTable;
  categories: CategoryTable;
}
