import type { CaldavTables } from './caldav.js';
import type { CalendarTables } from './calendar.js';
import type { ChangeTables } from './change.js';
import type { ClientTokenTables } from './client-token.js';
import type { DingtalkExtraTables } from './dingtalk-extras.js';
import type { DirectoryTables } from './directory.js';
import type { EventTables } from './event.js';
import type { ExtrasTables } from './extras.js';
import type { OAuthTables } from './oauth.js';
import type { PushTables } from './push.js';
import type { RateCountTables } from './rate-count.js';
import type { SnapshotTables } from './snapshot.js';

/** Every table rili stores, as Kysely sees them. */
export type Database = DirectoryTables & CalendarTables & EventTables & ClientTokenTables & RateCountTables & OAuthTables & ChangeTables & SnapshotTables & PushTables & ExtrasTables & DingtalkExtraTables & CaldavTables;
