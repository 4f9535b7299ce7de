import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m001 from './001-directory-and-calendars.js';
import * as m002 from './002-events.js';
import * as m003 from './003-dingtalk-client-tokens.js';
import * as m004 from './004-event-window-index.js';
import * as m005 from './005-event-removals.js';
import * as m008 from './008-oauth.js';
import * as m012 from './012-series-range-start-counts.js';
import * as m013 from './013-change-log.js';
import * as m014 from './014-sync-from-change-log.js';
import * as m015 from './015-snapshots.js';
import * as m016 from './016-push-subscriptions.js';
import * as m017 from './017-push-deliveries.js';
import * as m018 from './018-push-long-connection-and-merge.js';
import * as m020 from './020-subscribed-calendars-sign-ins-categories.js';
import * as m022 from './022-caldav.js';
import * as m024 from './024-calendar-extras.js';
import * as m029 from './029-change-log-detail.js';
import * as m031 from './031-push-deliveries-due-per-app.js';
import * as m033 from './033-change-log-without-age-index.js';

// Imported statically so a bundle or a tsx run finds every migration; order is by name. Each
// database adds its own (007-rate-counts is PostgreSQL's): `OpenedDatabase.ownMigrations`.
const shared: Record<string, Migration> = {
  '001-directory-and-calendars': m001,
  '002-events': m002,
  '003-dingtalk-client-tokens': m003,
  '004-event-window-index': m004,
  '005-event-removals': m005,
  '008-oauth': m008,
  '012-series-range-start-counts': m012,
  '013-change-log': m013,
  '014-sync-from-change-log': m014,
  '015-snapshots': m015,
  '016-push-subscriptions': m016,
  '017-push-deliveries': m017,
  '018-push-long-connection-and-merge': m018,
  '020-subscribed-calendars-sign-ins-categories': m020,
  '022-caldav': m022,
  '024-calendar-extras': m024,
  '029-change-log-detail': m029,
  '031-push-deliveries-due-per-app': m031,
  '033-change-log-without-age-index': m033,
};

/** The shared migrations and a database's own, as one list (Kysely orders them by name). */
export const migrationProvider = (own: Readonly<Record<string, Migration>>): MigrationProvider => ({
  getMigrations: async () => ({ ...shared, ...own }),
});
