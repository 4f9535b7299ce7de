import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m001 from './001-directory-and-calendars.js';
import * as m002 from './002-events.js';

// Imported statically so a bundle or a tsx run finds every migration; order is by name.
const migrations: Record<string, Migration> = {
  '001-directory-and-calendars': m001,
  '002-events': m002,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
