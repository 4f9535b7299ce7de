/**
 * The ports the core needs from the outside world. `src/store` implements the storage ports; the
 * composition root supplies the clock and id source. Reads and writes are typed apart: a writer
 * exists only inside `transact`.
 */
import type { ChangeDraft, ChangeObject, ChangeRecord } from './changes.js';
import type { CaldavReader, CaldavWriter } from './caldav-ports.js';
import type { Attendee, AttendeeType, CalendarEvent, PersonalView } from './events/types.js';
import type { ExchangeBinding, MeetingChat, MeetingMinute, TimeoffEvent } from './extras.js';
import type { OAuthCode, OAuthGrant } from './oauth.js';
import type { Seed } from './seed.js';
import type { PushConfig } from './push/config.js';
import type { Delivery, DeliveryAttempt, DeliveryStatus } from './push/deliveries.js';
import type { PushSubscription, PushTopic } from './push/subscriptions.js';
import type { EventChangedIntent } from './push/decide-pushes.js';
import type {
  App,
  Calendar,
  CalendarAcl,
  Chat,
  EventCategory,
  PrincipalKey,
  Room,
  SignInRecord,
  StoredFile,
  SubscribedCalendarInfo,
  Subscription,
  Tenant,
  User,
} from './types.js';

/** Which Feishu id kind names a user on the wire. */
export type UserIdType = 'open_id' | 'union_id' | 'user_id';

/** Ids to look up in every tenant: what a seed is checked against before it writes. */
export interface DirectoryIds {
  readonly appIds: readonly string[];
  readonly roomIds: readonly string[];
  readonly chatIds: readonly string[];
  readonly fileTokens: readonly string[];
  /** Internal user ids. */
  readonly userIds: readonly string[];
  /** Values that may be any user's user_id, open_id or union_id. */
  readonly userValues: readonly string[];
}

/** The rows found under DirectoryIds, in any tenant. */
export interface DirectoryRows {
  readonly apps: readonly App[];
  readonly rooms: readonly Room[];
  readonly chats: readonly Chat[];
  readonly files: readonly StoredFile[];
  /** Users with one of the internal ids, or a user_id, open_id or union_id among the values. */
  readonly users: readonly User[];
}

export interface DirectoryReader {
  tenant(key: string): Promise<Tenant | undefined>;
  /** By rili's internal id. */
  user(id: string): Promise<User | undefined>;
  users(ids: readonly string[]): Promise<User[]>;
  /** By a wire id of the given kind, within a tenant. */
  userByExternalId(tenantKey: string, type: UserIdType, value: string): Promise<User | undefined>;
  /** A tenant's users by name, at most `limit` (the sign-in page lists them). */
  usersOfTenant(tenantKey: string, limit: number): Promise<User[]>;
  /** By any of user_id / open_id / union_id / internal id, within a tenant. */
  userByAnyId(tenantKey: string, value: string): Promise<User | undefined>;
  app(appId: string): Promise<App | undefined>;
  room(tenantKey: string, roomId: string): Promise<Room | undefined>;
  chat(tenantKey: string, chatId: string): Promise<Chat | undefined>;
  file(tenantKey: string, fileToken: string): Promise<StoredFile | undefined>;
  /** A file by token in any tenant: tells "another tenant's file" from "no such file". */
  fileInAnyTenant(fileToken: string): Promise<StoredFile | undefined>;
  /** A stored setting (e.g. the generated token secret). */
  setting(key: string): Promise<string | undefined>;
  /** Everything the directory holds under these ids, in any tenant. */
  directoryRows(ids: DirectoryIds): Promise<DirectoryRows>;
  /** A tenant's event categories in their seeded order; none when the seed gave none. */
  categories(tenantKey: string): Promise<EventCategory[]>;
  /** Tenants by key, at most `limit` (the sandbox console lists them). */
  tenants(limit: number): Promise<Tenant[]>;
  /** A tenant's apps by id, at most `limit`. */
  appsOfTenant(tenantKey: string, limit: number): Promise<App[]>;
  /** A tenant's meeting rooms by name, at most `limit`. */
  roomsOfTenant(tenantKey: string, limit: number): Promise<Room[]>;
}

export interface DirectoryWriter extends DirectoryReader {
  putTenant(tenant: Tenant): Promise<void>;
  putUser(user: User): Promise<void>;
  putApp(app: App): Promise<void>;
  putRoom(room: Room): Promise<void>;
  putChat(chat: Chat): Promise<void>;
  putFile(file: StoredFile): Promise<void>;
  /** Replaces a tenant's event categories. */
  putCategories(tenantKey: string, categories: readonly EventCategory[]): Promise<void>;
  /** Stores a setting only when it is absent; returns the value in force. */
  putSettingIfAbsent(key: string, value: string): Promise<string>;
}

export interface CalendarPage {
  readonly items: Subscription[];
  readonly lastSeq: number;
}

/** A calendar, a user's ACL entry on it and a principal's subscription to it. */
export interface CalendarAccess {
  readonly calendar: Calendar;
  readonly acl: CalendarAcl | undefined;
  readonly subscription: Subscription | undefined;
}

export interface CalendarReader {
  calendar(calendarId: string): Promise<Calendar | undefined>;
  calendars(calendarIds: readonly string[]): Promise<Calendar[]>;
  /** Every calendar a principal owns (a room owns its resource calendar). */
  calendarsOwnedBy(owner: PrincipalKey): Promise<Calendar[]>;
  /** The primary calendar owned by a principal. */
  primaryCalendar(owner: PrincipalKey): Promise<Calendar | undefined>;
  /**
   * A calendar with what one principal has of it, in one read: by id, or the principal's primary
   * calendar when `calendarId` is undefined; with `userId`, that user's ACL entry on it.
   */
  calendarFor(principal: PrincipalKey, userId: string | undefined, calendarId?: string): Promise<CalendarAccess | undefined>;
  acl(calendarId: string, userId: string): Promise<CalendarAcl | undefined>;
  aclById(calendarId: string, aclId: string): Promise<CalendarAcl | undefined>;
  /** ACLs ordered by acl id, after `afterAclId` when given. */
  acls(calendarId: string, afterAclId: string | undefined, limit: number): Promise<CalendarAcl[]>;
  subscription(principal: PrincipalKey, calendarId: string): Promise<Subscription | undefined>;
  /** Active subscriptions ordered by calendar id, after `afterCalendarId` when given. */
  subscriptions(principal: PrincipalKey, afterCalendarId: string | undefined, limit: number): Promise<Subscription[]>;
  /** Subscriptions (active or not) whose subscription or calendar changed after `sinceSeq`. */
  subscriptionsChangedSince(principal: PrincipalKey, sinceSeq: number): Promise<Subscription[]>;
  countSubscriptions(principal: PrincipalKey): Promise<number>;
  /** Calendars of a tenant whose summary contains `query` (case-insensitive), ordered by id. */
  searchCalendars(tenantKey: string, query: string, afterCalendarId: string | undefined, limit: number): Promise<Calendar[]>;
  /** The newest change sequence number. */
  currentSeq(): Promise<number>;
  /** What makes a calendar a subscribed calendar, when it is one. */
  subscribedCalendar(calendarId: string): Promise<SubscribedCalendarInfo | undefined>;
}

export interface CalendarWriter extends CalendarReader {
  /**
   * Allocates the next change sequence number; serialises writers so sequence order is commit order.
   * `reserve` more numbers right after it are held for this transaction's change records (append's
   * `firstSeq`): one statement instead of two, a round trip less on PostgreSQL for every write.
   */
  nextSeq(reserve?: number): Promise<number>;
  putCalendar(calendar: Calendar): Promise<void>;
  putAcl(acl: CalendarAcl): Promise<void>;
  deleteAcl(calendarId: string, aclId: string): Promise<void>;
  putSubscription(subscription: Subscription): Promise<void>;
  putSubscribedCalendar(info: SubscribedCalendarInfo): Promise<void>;
}

/** Which events of a calendar a page of the list holds. */
export interface EventListQuery {
  /** Page after this event id (ordering is by event id). */
  readonly afterEventId?: string;
  /** Only events ending at or after this instant (series masters always match). */
  readonly anchor?: number;
  readonly limit: number;
}

export interface EventSearch {
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  readonly query?: string;
  readonly attendeeKeys?: readonly (readonly string[])[];
  readonly after?: { readonly start: number; readonly eventId: string };
}

/** A bounded read of a calendar's rows meeting [from, to), in (start, event id) order. */
export interface WindowRowQuery {
  readonly from: number;
  readonly to: number;
  readonly limit: number;
  /** Continue after this row: a later start, or the same start and a greater event id. */
  readonly after?: { readonly start: number; readonly eventId: string };
}

/** What reading one event from one calendar usually needs, asked for at once (EventReader.eventRead). */
export interface EventReadQuery {
  readonly principal: PrincipalKey;
  readonly userId: string | undefined;
  /** Undefined: the caller's primary calendar (as `calendarFor` takes it). */
  readonly calendarId: string | undefined;
  readonly eventId: string;
  readonly uid: string;
  /** The viewer's attendee match key (`u:<user>`); undefined for an app. */
  readonly matchKey: string | undefined;
  /** A write's load: every attendee of the event too (`viewerState`'s `everyAttendee`). */
  readonly everyAttendee?: boolean;
}

/** The answers `calendarFor`, `event` and `viewerState` would give for an EventReadQuery, from one statement. */
export interface EventReadBundle {
  readonly access: CalendarAccess | undefined;
  readonly event: CalendarEvent | undefined;
  readonly viewer: ViewerState;
}

export interface EventReader {
  /** By event id, whatever its status. */
  event(eventId: string): Promise<CalendarEvent | undefined>;
  /**
   * The calendar with the caller's access, the event and the viewer's state in ONE statement: its own
   * snapshot, so a lookup (no BEGIN/COMMIT) reads them consistently.
   */
  eventRead(query: EventReadQuery): Promise<EventReadBundle>;
  /** A series' master and all its exceptions. */
  series(uid: string): Promise<CalendarEvent[]>;
  /**
   * Every exception row (cancelled ones included) of the given series; with `originalStarts`, only
   * those whose original start is in [from, to).
   */
  exceptionsOf(uids: readonly string[], originalStarts?: { readonly from: number; readonly to: number }): Promise<CalendarEvent[]>;
  /** The master rows (original start 0, whatever their status) of the given events, by uid. */
  mastersOf(uids: readonly string[]): Promise<CalendarEvent[]>;
  eventByIdempotencyKey(calendarId: string, key: string): Promise<CalendarEvent | undefined>;
  /** Whether the event (by uid) shows in a calendar: its organizer calendar or an attendee's. */
  isInCalendar(calendarId: string, uid: string): Promise<boolean>;
  /** Events (masters, singles and exceptions) that show in a calendar, not cancelled, by event id. */
  listEvents(calendarId: string, query: EventListQuery): Promise<CalendarEvent[]>;
  /**
   * Rows without a rule (single events and exceptions) that show in a calendar, not cancelled, whose
   * time may meet [from, to) (starts before `to`, ends at or after `from`: the caller drops those that
   * end exactly at `from` unless zero-length), ordered by (start, event id), after `after`, at most `limit`.
   */
  singlesInWindow(calendarId: string, window: WindowRowQuery): Promise<CalendarEvent[]>;
  /**
   * Series (rows with a rule) that show in a calendar, not cancelled, whose extent (first start ..
   * last start + duration; open-ended: for ever) meets [from, to), ordered by (first start, event id),
   * after `after`, at most `limit`. Whether an occurrence falls in the window is for expansion to say.
   */
  seriesInWindow(calendarId: string, window: WindowRowQuery): Promise<CalendarEvent[]>;
  /**
   * Non-cancelled events meeting [from, to) ordered by (start, event id), whose summary matches
   * `query` (case-insensitive substring; a summary with `_` only by the exact query) and that have an
   * attendee from each list of `attendeeKeys` (`u:<user>`, `r:<room>`, `c:<chat>`).
   */
  searchEvents(calendarId: string, search: EventSearch): Promise<CalendarEvent[]>;
  /** Events of a calendar changed after `sinceSeq`, cancelled ones included, by seq. */
  eventsChangedSince(calendarId: string, sinceSeq: number, limit: number): Promise<CalendarEvent[]>;
  personalView(uid: string, principal: PrincipalKey): Promise<PersonalView | undefined>;
  /** Attendees of an event, ordered by attendee id; members invited through a chat included. */
  attendees(uid: string): Promise<Attendee[]>;
  /** Attendees of many events (by uid) in one read, ordered by event, then attendee id. */
  attendeesOf(uids: readonly string[]): Promise<Attendee[]>;
  /**
   * What one viewer has of many events (by uid), in one read: their personal views and, with
   * `matchKey` (`u:<user>`, `r:<room>`), their own attendee entries, a user's invitations through
   * chats included (ordered by event, then attendee id).
   */
  viewerState(uids: readonly string[], principal: PrincipalKey, matchKey: string | undefined, everyAttendee?: boolean): Promise<ViewerState>;
  /** One user's sign-in or sign-out of an event. */
  signIn(eventId: string, kind: SignInRecord['kind'], userId: string): Promise<SignInRecord | undefined>;
  /** An event's sign-ins or sign-outs ordered by user id, after `afterUserId`, at most `limit`. */
  signIns(eventId: string, kind: SignInRecord['kind'], afterUserId: string | undefined, limit: number): Promise<SignInRecord[]>;
}

export interface EventWriter extends EventReader {
  /** Locks a series (or any named key) for the rest of the transaction, so concurrent writers of it queue. */
  lockSeries(uid: string): Promise<void>;
  putEvent(event: CalendarEvent, range: { start: number; end: number }): Promise<void>;
  putPersonalView(view: PersonalView): Promise<void>;
  putAttendee(attendee: Attendee): Promise<void>;
  deleteAttendee(uid: string, attendeeId: string): Promise<void>;
  /** Records a sign-in or sign-out (a later one of the same user and kind replaces it). */
  putSignIn(record: SignInRecord): Promise<void>;
}

/** A DingTalk `x-client-token` claim: (app, token) → the request it stands for and, once done, its response. */
export interface ClientTokenRecord {
  readonly appId: string;
  readonly token: string;
  readonly requestHash: string;
  readonly state: 'processing' | 'done';
  readonly status: number | null;
  readonly body: string | null;
  /** Unix seconds. */
  readonly createdAt: number;
}

/** Identifies one claim: a later claim of the same (app, token) is another claim. */
export interface ClientTokenClaim {
  readonly appId: string;
  readonly token: string;
  readonly requestHash: string;
  readonly createdAt: number;
}

export interface ClientTokenReader {
  clientToken(appId: string, token: string): Promise<ClientTokenRecord | undefined>;
}

export interface ClientTokenWriter extends ClientTokenReader {
  /** Inserts a `processing` claim unless the (app, token) has a row; true when this call inserted it. */
  claimClientToken(claim: ClientTokenClaim): Promise<boolean>;
  /** Replaces an expired or abandoned claim, only if the row is still as it was read; true when replaced. */
  takeOverClientToken(claim: ClientTokenClaim, previous: Pick<ClientTokenRecord, 'createdAt' | 'state'>): Promise<boolean>;
  /** Records the response of a claim still processing. */
  finishClientToken(claim: ClientTokenClaim, response: { status: number; body: string }): Promise<void>;
  /** Drops a claim still processing (its request failed: a retry runs again). */
  releaseClientToken(claim: ClientTokenClaim): Promise<void>;
  /** Deletes claims made before a time; returns how many. */
  purgeClientTokens(createdBefore: number): Promise<number>;
}

export interface OAuthReader {
  code(codeHash: string): Promise<OAuthCode | undefined>;
  grant(id: string): Promise<OAuthGrant | undefined>;
}

export interface OAuthWriter extends OAuthReader {
  putCode(code: OAuthCode): Promise<void>;
  /** Marks an unused code used by `grantId`; false when it was already used (a concurrent exchange won). */
  spendCode(codeHash: string, usedAt: number, grantId: string): Promise<boolean>;
  putGrant(grant: OAuthGrant): Promise<void>;
  /** Replaces the refresh token in force, only if it is still `fromHash`; false when another refresh won. */
  rotateGrant(id: string, fromHash: string, next: { refreshHash: string | undefined; refreshExpiresAt: number | undefined; generation: number; rotatedAt: number }): Promise<boolean>;
  revokeGrant(id: string, at: number): Promise<void>;
  /** Deletes codes that expired before a time; returns how many. */
  purgeCodes(expiredBefore: number): Promise<number>;
}

export interface ChangeLogReader {
  /** Records after `afterSeq` in sequence order, at most `limit`; with `calendarId`, only that calendar's. */
  since(afterSeq: number, limit: number, calendarId?: string): Promise<ChangeRecord[]>;
  /** Every record at or below this sequence number has been pruned (0: none). */
  prunedThrough(): Promise<number>;
  /** The newest record's sequence number (0 when the log is empty). */
  latestSeq(): Promise<number>;
  /** Records after `afterSeq` of these objects about any of these calendars, in sequence order, at most `limit`. */
  ofCalendars(afterSeq: number, calendarIds: readonly string[], objects: readonly ChangeObject[], limit: number): Promise<ChangeRecord[]>;
}

export interface ChangeLogWriter extends ChangeLogReader {
  /**
   * Appends records in order, each with the next change sequence number and time `at` (ms); from
   * `firstSeq` on when this transaction reserved them already (`nextSeq(drafts.length)`).
   */
  append(drafts: readonly ChangeDraft[], at: number, firstSeq?: number): Promise<ChangeRecord[]>;
  /**
   * Drops records older than `before` (ms), from the oldest up to the first that is not (a record
   * behind a younger one, after a clock set back, waits for it), or beyond the newest `keep`; how many went.
   */
  prune(policy: { readonly before?: number; readonly keep?: number }): Promise<number>;
  /**
   * After the state was replaced wholesale (a snapshot restored, a reset): takes the next sequence
   * number S, drops every record and marks the log pruned through S, so every position before S
   * (every sync token and follower from before) answers expired and lists afresh. Returns S.
   */
  restart(): Promise<number>;
}

/**
 * Every row of every table that holds calendar state (the directory, calendars, events, sign-in
 * grants, DingTalk client tokens, the seeds applied), by table name. Not in it: the change log (a
 * restore restarts it), settings (the token secret stays, so tokens outlive a restore), snapshots
 * themselves, rate counters.
 */
export interface StoreDump {
  /** The newest migration the rows are shaped by: a later rili upgrades them from there. */
  readonly migration: string;
  /** The change sequence when dumped: a restore never lets the sequence fall below it. */
  readonly changeSeq: number;
  readonly tables: Readonly<Record<string, readonly Readonly<Record<string, unknown>>[]>>;
}

/** A saved snapshot, as listed. */
export interface SnapshotInfo {
  readonly name: string;
  /** Unix milliseconds. */
  readonly createdAt: number;
  readonly bytes: number;
}

export interface SnapshotReader {
  /** Every row of the dumped tables, in this read's one snapshot. */
  dump(): Promise<StoreDump>;
  /** Saved snapshots, by name. */
  savedSnapshots(): Promise<SnapshotInfo[]>;
  /** A saved snapshot's document (the export format), or undefined. */
  savedSnapshot(name: string): Promise<string | undefined>;
  /** The seeds this database was given, in the order it was given them. */
  appliedSeeds(): Promise<Seed[]>;
}

export interface SnapshotWriter extends SnapshotReader {
  /**
   * Replaces the rows of every dumped table with the dump's (upgraded from its migration when older;
   * a dump of a newer rili is refused) and raises the change sequence to at least the dump's.
   */
  load(dump: StoreDump): Promise<void>;
  /** Empties every dumped table but the applied seeds. */
  clear(): Promise<void>;
  /** Saves (or replaces) a snapshot; true when one of that name was replaced. */
  saveSnapshot(info: SnapshotInfo, document: string): Promise<boolean>;
  deleteSnapshot(name: string): Promise<boolean>;
  /** Records that a seed was applied (the same seed right after itself is recorded once). */
  rememberSeed(seed: Seed): Promise<void>;
}

/**
 * Wake-ups for followers of the change log: "records through `seq` have committed". Only a hint:
 * a wake-up may come late, twice, coalesced with others or not at all (a lost connection), so a
 * follower reads the log itself from its own position and treats the log as the truth.
 */
export interface ChangeSignal {
  /** Calls `listener` after records commit (in this process or, where the store can tell, another); returns an unsubscribe. */
  onCommitted(listener: (seq: number) => void): () => void;
  /** Announces that records through `seq` committed (the store calls it after a transaction that appended). */
  committed(seq: number): void;
}

export interface PushReader {
  /** The subscriptions to any of these calendars' topics (calendar-list subscriptions have calendarId ''). */
  subscriptionsTo(topic: PushTopic, calendarIds: readonly string[]): Promise<PushSubscription[]>;
  /** The calendar-list subscriptions of any of these users (internal ids). */
  listSubscriptionsOf(userIds: readonly string[]): Promise<PushSubscription[]>;
  config(appId: string): Promise<PushConfig | undefined>;
  /** Apps with a receiver (request URL or a long connection opened once), with their tenant and cursor. */
  targets(): Promise<Array<{ appId: string; tenantKey: string; cursor: number; config: PushConfig; platform: 'feishu' | 'dingtalk' }>>;
  delivery(id: string): Promise<Delivery | undefined>;
  /** Newest first. */
  deliveries(filter: DeliveryFilter): Promise<Delivery[]>;
  /**
   * Pending deliveries due by `now`, at most `perApp` of each app with a receiver, the longest
   * waiting first; none of the apps in `exceptApps`.
   */
  dueDeliveries(now: number, perApp: number, exceptApps?: readonly string[]): Promise<Delivery[]>;
  /** When the next pending delivery (of an app not in `exceptApps`) is due; undefined when none is pending. */
  nextDueAt(exceptApps?: readonly string[]): Promise<number | undefined>;
  /** The push held for this merge window whose window is still open at `at` (not yet taken for an attempt). */
  heldForMerge(key: string, at: number): Promise<Delivery | undefined>;
}

export interface DeliveryFilter {
  readonly appId?: string;
  readonly eventType?: string;
  readonly status?: DeliveryStatus;
  /** Only deliveries created before this one's creation (paging). */
  readonly beforeId?: string;
  readonly limit: number;
}

export interface PushWriter extends PushReader {
  /** Adds a subscription; subscribing twice keeps the first. */
  putSubscription(subscription: PushSubscription): Promise<void>;
  /** Removes a subscription; true when there was one. */
  removeSubscription(key: Pick<PushSubscription, 'appId' | 'userId' | 'topic' | 'calendarId'>): Promise<boolean>;
  putConfig(appId: string, config: PushConfig, at: number): Promise<void>;
  /** Sets the app's cursor (creating it). */
  setCursor(appId: string, seq: number): Promise<void>;
  /** Adds deliveries; one whose id is already stored (another process recorded it) is skipped. */
  addDeliveries(deliveries: readonly Delivery[]): Promise<void>;
  /** Takes a due delivery for an attempt until `leaseUntil`, if still pending at `expectedNextAt`; false when another took it. */
  claimDelivery(id: string, expectedNextAt: number, leaseUntil: number): Promise<boolean>;
  /** Records an attempt's outcome. */
  recordAttempt(id: string, outcome: { status: DeliveryStatus; attempts: number; nextAt: number; lastAttempt: DeliveryAttempt }): Promise<void>;
  /** Queues a delivery again, now, with its retries renewed. */
  requeue(id: string, now: number): Promise<boolean>;
  /** Rewrites a held push with what it merged; false when it was taken for an attempt meanwhile. */
  updateHeld(id: string, until: number, body: string, merged: EventChangedIntent): Promise<boolean>;
  /** Removes a held push whose changes cancelled out; false when it was taken for an attempt meanwhile. */
  dropHeld(id: string, until: number): Promise<boolean>;
  /** Notes that the app opened a long connection; true the first time. */
  markLongConnection(appId: string, at: number): Promise<boolean>;
  /** Makes the app's pending deliveries waiting for a retry (not held for a merge, not in an attempt) due at `now`. */
  hurryPending(appId: string, now: number): Promise<number>;
}

export interface StoreReader {
  readonly directory: DirectoryReader;
  readonly calendars: CalendarReader;
  readonly events: EventReader;
  readonly clientTokens: ClientTokenReader;
  readonly oauth: OAuthReader;
  readonly changes: ChangeLogReader;
  readonly snapshots: SnapshotReader;
  readonly push: PushReader;
  readonly extras: ExtrasReader;
  readonly caldav: CaldavReader;
}

export interface StoreWriter {
  readonly directory: DirectoryWriter;
  readonly calendars: CalendarWriter;
  readonly events: EventWriter;
  readonly clientTokens: ClientTokenWriter;
  readonly oauth: OAuthWriter;
  readonly changes: ChangeLogWriter;
  readonly snapshots: SnapshotWriter;
  readonly push: PushWriter;
  readonly caldav: CaldavWriter;
  readonly extras: ExtrasWriter;
}

/** Time-off events, events' meeting chats and minutes, Exchange bindings (core/extras.ts). */
export interface ExtrasReader {
  timeoff(tenantKey: string, timeoffEventId: string): Promise<TimeoffEvent | undefined>;
  /** The meeting chat bound to a series (by uid), if any. */
  meetingChat(uid: string): Promise<MeetingChat | undefined>;
  /** The minutes document of a series (by uid), if any. */
  meetingMinute(uid: string): Promise<MeetingMinute | undefined>;
  /** A series' meeting chat id and minutes URL, in one statement (an event's `get` asks on every call). */
  meetingLinks(uid: string): Promise<{ chatId?: string; docUrl?: string }>;
  exchangeBinding(tenantKey: string, bindingId: string): Promise<ExchangeBinding | undefined>;
  /** The binding an Exchange account holds in a tenant, if any (an account binds one user at a time). */
  exchangeBindingOf(tenantKey: string, exchangeAccount: string): Promise<ExchangeBinding | undefined>;
}

export interface ExtrasWriter extends ExtrasReader {
  putTimeoff(timeoff: TimeoffEvent): Promise<void>;
  deleteTimeoff(tenantKey: string, timeoffEventId: string): Promise<void>;
  putMeetingChat(chat: MeetingChat): Promise<void>;
  deleteMeetingChat(uid: string): Promise<void>;
  putMeetingMinute(minute: MeetingMinute): Promise<void>;
  putExchangeBinding(binding: ExchangeBinding): Promise<void>;
  deleteExchangeBinding(tenantKey: string, bindingId: string): Promise<void>;
}

/** The storage port: read in a snapshot, write in a transaction. */
export interface Store {
  /**
   * Runs `fn` in one read-only snapshot: every statement sees the same committed state. `fn` must not
   * itself call `read`, `lookup` or `transact` (a read holds its connection until it returns).
   */
  read<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T>;
  /**
   * A read of ONE statement, which needs no snapshot: on PostgreSQL it skips the BEGIN and COMMIT
   * round trips a snapshot costs (every authenticated request looks up its app and user so).
   */
  lookup<T>(fn: (reader: StoreReader) => Promise<T>): Promise<T>;
  transact<T>(fn: (writer: StoreWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** One fixed window of a request counter: at most `max` requests for `key` per `windowSeconds`, this one begun at `startMs`. */
export interface RateWindow {
  readonly key: string;
  readonly windowSeconds: number;
  readonly startMs: number;
  readonly max: number;
}

/**
 * Request counts that every process on one database shares (PostgreSQL), so the platforms' rate
 * limits hold per deployment. The windows of one call have distinct (key, windowSeconds).
 */
export interface RateCounters {
  /** Counts one request in each window that has room (fewer than `max`); per window, in order, whether it did. */
  count(windows: readonly RateWindow[]): Promise<boolean[]>;
  /** Takes back a request `count` counted in these windows (another window refused it). */
  uncount(windows: readonly RateWindow[]): Promise<void>;
  /** Forgets counters whose window ended before `endedBeforeMs`; how many. */
  prune(endedBeforeMs: number): Promise<number>;
}

export interface Clock {
  /** Unix time in milliseconds. */
  now(): number;
}

/** Randomness for identifiers; the composition root supplies it (tests pass a deterministic one). */
export interface RandomSource {
  /** A random UUID v4. */
  uuid(): string;
  /** `length` random characters from [0-9a-zA-Z]. */
  random(length: number): string;
}

/**
 * Where new identifiers come from: random ones, and those in a platform's format, which a dialect
 * defines (src/api/feishu/platform-ids.ts) and the composition root plugs in. The core never spells
 * a platform's URL or id format itself.
 */
export interface IdSource extends RandomSource {
  /** A new calendar's id. */
  calendarId(): string;
  /** A new video meeting's join link. */
  meetingUrl(): string;
  /** A new attendee's id. */
  attendeeId(type: AttendeeType): string;
  /** A new group chat's id (an event's meeting chat). */
  chatId(): string;
  /** The link that opens a chat in the client. */
  chatLink(chatId: string): string;
  /** A new document's URL (an event's meeting minutes). */
  docUrl(): string;
  /** A new time-off event's id. */
  timeoffEventId(): string;
  /** The id of a binding of an Exchange account, made by an admin account (the same pair, the same id). */
  exchangeBindingId(adminAccount: string, exchangeAccount: string): string;
}

/** What one viewer sees of some events beside the rows: their personal views and own attendee entries. */
export interface ViewerState {
  readonly personal: PersonalView[];
  readonly attendees: Attendee[];
  /** With `everyAttendee`: all attendees of the events, in the same order (a write's decision needs them; the same read). */
  readonly every?: Attendee[];
}
