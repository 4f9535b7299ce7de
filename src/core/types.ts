/**
 * Domain types shared by every layer. Plain immutable data: no behaviour, no I/O.
 * Ids are the platform-visible ones unless a field says "internal".
 */

export type Platform = 'feishu' | 'dingtalk';

/** A tenant (an organisation). `key` is Feishu's tenant_key; DingTalk calls it corpId. */
export interface Tenant {
  readonly key: string;
  readonly name: string;
}

/** A person in a tenant, with the three Feishu id kinds. `id` is rili's internal id. */
export interface User {
  readonly id: string;
  readonly tenantKey: string;
  readonly userId: string;
  readonly openId: string;
  readonly unionId: string;
  readonly name: string;
  readonly email: string | null;
}

/** An application registered with rili: a Feishu app (app_id) or a DingTalk app (app_key). */
export interface App {
  readonly appId: string;
  readonly platform: Platform;
  readonly secret: string;
  readonly tenantKey: string;
  readonly name: string;
  /** Where the sign-in page may send a user back; absent: any URI (the seed registered none). */
  readonly redirectUris?: readonly string[];
}

export interface Room {
  readonly roomId: string;
  readonly tenantKey: string;
  readonly name: string;
  readonly capacity: number;
}

export interface Chat {
  readonly chatId: string;
  readonly tenantKey: string;
  readonly name: string;
  /** Internal user ids. */
  readonly memberIds: readonly string[];
}

/** A file that can be attached to an event (drive media). */
export interface StoredFile {
  readonly fileToken: string;
  readonly tenantKey: string;
  readonly name: string;
  readonly size: number;
}

/** Who is calling: a user (through an app) or an app acting as its bot. */
export type Actor =
  | { readonly kind: 'user'; readonly tenantKey: string; readonly appId: string; readonly userId: string }
  | { readonly kind: 'app'; readonly tenantKey: string; readonly appId: string };

/** A principal key names who owns or subscribes: `u:<internal user id>`, `a:<app id>` or `r:<room id>`. */
export type PrincipalKey = string;

export const principalOf = (actor: Actor): PrincipalKey =>
  actor.kind === 'user' ? `u:${actor.userId}` : `a:${actor.appId}`;

export type CalendarType = 'primary' | 'shared' | 'resource';
export type CalendarPermissions = 'private' | 'show_only_free_busy' | 'public';
export type Role = 'none' | 'free_busy_reader' | 'reader' | 'writer' | 'owner';

export const ROLE_RANK: Readonly<Record<Role, number>> = {
  none: 0,
  free_busy_reader: 1,
  reader: 2,
  writer: 3,
  owner: 4,
};

export interface Calendar {
  readonly calendarId: string;
  readonly tenantKey: string;
  readonly type: CalendarType;
  /** The principal that owns the calendar. */
  readonly owner: PrincipalKey;
  readonly summary: string;
  readonly description: string;
  readonly permissions: CalendarPermissions;
  readonly color: number;
  readonly isDeleted: boolean;
  readonly createdAt: number;
  /** Change sequence of the last write, for incremental sync. */
  readonly seq: number;
}

export interface CalendarAcl {
  readonly aclId: string;
  readonly calendarId: string;
  readonly role: Exclude<Role, 'none'>;
  /** Internal user id of the grantee. */
  readonly userId: string;
}

/** A calendar in a principal's calendar list, with that principal's own view of it. */
export interface Subscription {
  readonly principal: PrincipalKey;
  readonly calendarId: string;
  readonly summaryAlias: string;
  /** The subscriber's own colour, or null to follow the calendar's. */
  readonly color: number | null;
  readonly active: boolean;
  readonly seq: number;
}

/**
 * What makes a shared calendar a DingTalk subscribed calendar: its author, its managers and to whom
 * it is offered (users, chats' members, whole tenants). Ids are internal user ids, chat ids, tenant keys.
 */
export interface SubscribedCalendarInfo {
  readonly calendarId: string;
  readonly tenantKey: string;
  readonly author: string;
  readonly managers: readonly string[];
  readonly scope: SubscribeScope;
  readonly seq: number;
}

export interface SubscribeScope {
  readonly userIds: readonly string[];
  readonly chatIds: readonly string[];
  readonly tenantKeys: readonly string[];
}

/** A user's sign-in (check-in) or sign-out of one event (by event id); `at` in Unix milliseconds. */
export interface SignInRecord {
  readonly eventId: string;
  readonly kind: 'sign_in' | 'sign_out';
  readonly userId: string;
  readonly at: number;
}

/** One of a tenant's event categories (DingTalk `ListCategories`). */
export interface EventCategory {
  readonly categoryId: string;
  readonly displayName: string;
}
