import assert from 'node:assert/strict';
import { eventIdOf } from '../../../../src/core/events/types.js';
import { rebuildMembership } from '../../../helpers/change-log-membership.js';
import type { DingtalkFixture } from './fixtures.js';

/**
 * The preamble's rebuild rule on a live server: for every calendar the change log names, replaying
 * its event records gives exactly the rows the store lists for it. Returns how many rows it compared.
 */
export async function assertLogRebuildsCalendars(f: DingtalkFixture): Promise<number> {
  const store = f.s.server.ctx.store;
  const records = await store.read((r) => r.changes.since(0, 100_000));
  const { shown } = rebuildMembership(records);
  let compared = 0;
  for (const calendarId of new Set(records.filter((r) => r.object === 'event').map((r) => r.calendarId!))) {
    const listed = (await store.read((r) => r.events.listEvents(calendarId, { limit: 100_000 }))).map(eventIdOf).sort();
    assert.deepEqual([...(shown.get(calendarId) ?? [])].sort(), listed, `calendar ${calendarId}`);
    compared += listed.length;
  }
  return compared;
}

/** The internal id of a seed user, by unionId. */
export async function userIdOf(f: DingtalkFixture, unionId: string): Promise<string> {
  return (await f.s.server.ctx.store.read((r) => r.directory.userByExternalId('acme', 'union_id', unionId)))!.id;
}
