import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { HOUR, T0, assertRefused, createEvent, deleteEvent, getEvent, patchEvent, primaryOf, sharedCalendar, timed } from './fixtures.js';
import type { Caller, Expected } from './fixtures.js';

/** The calendars of the matrix; each row's event is created there by its organizer. */
type Where = 'shared' | 'userPrimary' | 'botPrimary';

type Actor = 'zhangsan' | 'lisi' | 'wangwu' | 'zhaoliu' | 'sunqi' | 'zhouba' | 'bot' | 'globex';

interface Row {
  readonly name: string;
  readonly actor: Actor;
  readonly where: Where;
  /** `full` details, `busy` time only, or the refusal. */
  readonly get: 'full' | 'busy' | Expected;
  readonly patch: 'ok' | Expected;
  readonly delete: 'ok' | Expected;
}

const NO_ROLE: Expected = { status: 403, code: 191002, field: 'calendar_id' };
const NOT_FOUND: Expected = { status: 404, code: 191000, field: 'calendar_id' };

/**
 * `shared` is zhangsan's private shared calendar with ACLs: lisi owner, wangwu writer, zhaoliu reader,
 * sunqi free_busy_reader; zhouba has none. `userPrimary` is zhangsan's primary calendar (its default
 * permissions show free/busy only); `botPrimary` is the app's own calendar.
 */
const ROWS: readonly Row[] = [
  { name: 'organizer (calendar owner)', actor: 'zhangsan', where: 'shared', get: 'full', patch: 'ok', delete: 'ok' },
  { name: 'owner via ACL', actor: 'lisi', where: 'shared', get: 'full', patch: 'ok', delete: 'ok' },
  { name: 'writer via ACL', actor: 'wangwu', where: 'shared', get: 'full', patch: 'ok', delete: 'ok' },
  { name: 'reader via ACL', actor: 'zhaoliu', where: 'shared', get: 'full', patch: NO_ROLE, delete: NO_ROLE },
  { name: 'free_busy_reader via ACL', actor: 'sunqi', where: 'shared', get: 'busy', patch: NO_ROLE, delete: NO_ROLE },
  { name: 'no ACL on a private calendar', actor: 'zhouba', where: 'shared', get: NO_ROLE, patch: NO_ROLE, delete: NO_ROLE },
  { name: 'app on a user\'s shared calendar', actor: 'bot', where: 'shared', get: NO_ROLE, patch: NO_ROLE, delete: NO_ROLE },
  { name: 'organizer on their primary calendar', actor: 'zhangsan', where: 'userPrimary', get: 'full', patch: 'ok', delete: 'ok' },
  { name: 'colleague on a primary calendar (free/busy by default)', actor: 'lisi', where: 'userPrimary', get: 'busy', patch: NO_ROLE, delete: NO_ROLE },
  { name: 'app (tenant token) on its own calendar', actor: 'bot', where: 'botPrimary', get: 'full', patch: 'ok', delete: 'ok' },
  { name: 'app (tenant token) on a user\'s primary calendar', actor: 'bot', where: 'userPrimary', get: 'busy', patch: NO_ROLE, delete: NO_ROLE },
  { name: 'user on the app\'s calendar', actor: 'zhangsan', where: 'botPrimary', get: 'busy', patch: NO_ROLE, delete: NO_ROLE },
  { name: 'another tenant\'s app on a shared calendar', actor: 'globex', where: 'shared', get: NOT_FOUND, patch: NOT_FOUND, delete: NOT_FOUND },
  { name: 'another tenant\'s app on a user\'s primary calendar', actor: 'globex', where: 'userPrimary', get: NOT_FOUND, patch: NOT_FOUND, delete: NOT_FOUND },
  { name: 'another tenant\'s app on the app\'s calendar', actor: 'globex', where: 'botPrimary', get: NOT_FOUND, patch: NOT_FOUND, delete: NOT_FOUND },
];

/**
 * @NOTE Rows for invited attendees belong here once calendarEventAttendee exists: an attendee acting
 * on their own primary calendar (the event shows there), with attendee_ability `none` and
 * `can_modify_event`: get in full; patch of visibility / free_busy_status / color / reminders only,
 * 193002 for shared fields unless can_modify_event; 193102 / 195113 for assign_hosts / password;
 * delete removing the event from their calendar only. Each row needs an `invite` step in `setUp`.
 */
const ATTENDEE_ROWS: readonly Row[] = [];

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent permissions (get, patch, delete)`, () => {
    let s: TestServer;
    const callers = {} as Record<Actor, Caller>;
    const calendars = {} as Record<Where, string>;
    const organizerOf = (where: Where): Caller => (where === 'botPrimary' ? callers.bot : callers.zhangsan);

    before(async () => {
      s = await startServer(kind);
      for (const user of ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'sunqi', 'zhouba'] as const) {
        callers[user] = { client: s.lark(), token: await s.userToken(user) };
      }
      callers.bot = { client: s.lark() };
      callers.globex = { client: s.lark('cli_globex') };
      calendars.shared = await sharedCalendar(s, callers.zhangsan.token!, { lisi: 'owner', wangwu: 'writer', zhaoliu: 'reader', sunqi: 'free_busy_reader' });
      calendars.userPrimary = await primaryOf(callers.zhangsan);
      calendars.botPrimary = await primaryOf(callers.bot);
    });
    after(() => s.close());

    for (const row of [...ROWS, ...ATTENDEE_ROWS]) {
      const label = (x: unknown) => (typeof x === 'string' ? x : String((x as Expected).code));
      test(`${row.name}: get ${label(row.get)}, patch ${label(row.patch)}, delete ${label(row.delete)}`, async () => {
        const calendarId = calendars[row.where];
        const organizer = organizerOf(row.where);
        const who = callers[row.actor];
        const created = await createEvent(organizer, calendarId, { summary: 'Matrix', description: 'details', location: { name: 'Room 1' }, ...timed(T0, T0 + HOUR) });
        assert.equal(created.code, 0);
        const id = created.data!.event!.event_id;
        const organizerView = async () => (await getEvent(organizer, calendarId, id)).data!.event!;

        if (typeof row.get === 'string') {
          const got = (await getEvent(who, calendarId, id)).data!.event!;
          assert.equal(got.event_id, id);
          assert.deepEqual([got.start_time, got.end_time], [created.data!.event!.start_time, created.data!.event!.end_time]);
          if (row.get === 'full') assert.deepEqual([got.summary, got.description, got.location?.name], ['Matrix', 'details', 'Room 1']);
          else assert.deepEqual([got.summary, got.description, got.location], ['', '', undefined]);
        } else {
          await assertRefused(getEvent(who, calendarId, id), row.get, 'get');
        }

        if (row.patch === 'ok') {
          const res = await patchEvent(who, calendarId, id, { summary: `patched by ${row.actor}` });
          assert.equal(res.data!.event!.summary, `patched by ${row.actor}`);
          assert.equal((await organizerView()).summary, `patched by ${row.actor}`);
        } else {
          await assertRefused(patchEvent(who, calendarId, id, { summary: 'nope' }), row.patch, 'patch');
          assert.equal((await organizerView()).summary, 'Matrix');
        }

        if (row.delete === 'ok') {
          assert.equal((await deleteEvent(who, calendarId, id)).code, 0);
          await assertRefused(getEvent(organizer, calendarId, id), { status: 403, code: 193003 }, 'deleted');
        } else {
          await assertRefused(deleteEvent(who, calendarId, id), row.delete, 'delete');
          assert.equal((await organizerView()).status, 'confirmed');
        }
      });
    }
  });
}
