import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { DAY, HOUR, T0, as, assertRefused, createEvent, deleteEvent, eventIds, listEvents, patchEvent, primaryOf, sharedCalendar, timed } from './fixtures.js';
import type { Caller } from './fixtures.js';
import { dingtalk, dingtalkAppToken } from '../../../../../reliability/lib/http.js';

/** A token as rili writes them, with any position inside: for tokens a client could forge. */
const forge = (kind: string, position: unknown) => Buffer.from(JSON.stringify({ v: 1, k: kind, p: position })).toString('base64url');

const BIG = 120;

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent.list`, () => {
    let s: TestServer;
    let zhangsan: Caller;
    let sunqi: Caller;
    /** BIG one-hour events, the i-th from T0 + i hours. */
    let big: string;
    let bigIds: string[];
    before(async () => {
      s = await startServer(kind);
      zhangsan = { client: s.lark(), token: await s.userToken('zhangsan') };
      sunqi = { client: s.lark(), token: await s.userToken('sunqi') };
      big = await sharedCalendar(s, zhangsan.token!, { sunqi: 'free_busy_reader' });
      bigIds = [];
      for (let i = 0; i < BIG; i++) {
        const res = await createEvent(zhangsan, big, { summary: `event ${i}`, ...timed(T0 + i * HOUR, T0 + (i + 1) * HOUR) });
        bigIds.push(res.data!.event!.event_id);
      }
    });
    after(() => s.close());

    /** Follows page_token to the end; checks each page's keys on the way. */
    const allPages = async (calendarId: string, params: Record<string, unknown>) => {
      const pages: any[] = [];
      let pageToken: string | undefined;
      for (;;) {
        const res = await listEvents(zhangsan, calendarId, { ...params, ...(pageToken ? { page_token: pageToken } : {}) });
        assert.equal(res.code, 0);
        pages.push(res.data);
        if (!res.data!.has_more) break;
        assert.ok(res.data!.page_token, 'has_more comes with a page_token');
        assert.equal(res.data!.sync_token, undefined, 'no sync_token before the last page');
        pageToken = res.data!.page_token;
      }
      const last = pages[pages.length - 1];
      assert.equal('page_token' in last, false, 'the last page has no page_token key at all');
      assert.equal(typeof last.sync_token, 'string');
      return { pages, items: pages.flatMap((p) => p.items ?? []) };
    };

    test('page_size: under 50 counts as 50, the default is 500, over 1000 is 190002', async () => {
      const rows = [
        { page_size: 1, expected: 50 },
        { page_size: 10, expected: 50 },
        { page_size: 0, expected: 50 },
        { page_size: 50, expected: 50 },
        { page_size: 51, expected: 51 },
        { page_size: undefined, expected: BIG },
        { page_size: 1000, expected: BIG },
      ];
      for (const row of rows) {
        const res = await listEvents(zhangsan, big, row.page_size === undefined ? {} : { page_size: row.page_size });
        assert.equal(res.data!.items!.length, row.expected, `page_size ${row.page_size}`);
        assert.equal(res.data!.has_more, row.expected < BIG);
      }
      for (const page_size of [1001, 5000]) {
        const before = (await listEvents(zhangsan, big, {})).data!.items!.length;
        await assertRefused(listEvents(zhangsan, big, { page_size }), { status: 400, code: 190002, field: 'page_size' }, String(page_size));
        assert.equal((await listEvents(zhangsan, big, {})).data!.items!.length, before);
      }
    });

    test('pages until has_more is false: every event once, no page_token key on the last page, then a sync_token', async () => {
      const { pages, items } = await allPages(big, { page_size: 50 });
      assert.deepEqual(pages.map((p) => p.items.length), [50, 50, 20]);
      assert.deepEqual(items.map((e: any) => e.event_id).sort(), [...bigIds].sort());
      assert.ok(items.every((e: any) => e.status === 'confirmed'));
    });

    test('anchor_time: only events ending at or after the anchor, across pages; recurring series always', async () => {
      const anchor = T0 + 60 * HOUR;
      const { pages, items } = await allPages(big, { page_size: 50, anchor_time: String(anchor) });
      // Event i ends at T0 + (i + 1) hours: i >= 59.
      assert.deepEqual(items.map((e: any) => e.event_id).sort(), bigIds.slice(59).sort());
      assert.deepEqual(pages.map((p) => p.items.length), [50, 11]);

      const cal = await sharedCalendar(s, zhangsan.token!);
      const made = async (body: object) => (await createEvent(zhangsan, cal, body)).data!.event!.event_id;
      const past = await made(timed(T0, T0 + HOUR));
      const endsAtAnchor = await made(timed(T0 + DAY - HOUR, T0 + DAY));
      const later = await made(timed(T0 + 2 * DAY, T0 + 2 * DAY + HOUR));
      const series = await made({ ...timed(T0 - 30 * DAY, T0 - 30 * DAY + HOUR), recurrence: 'FREQ=DAILY;COUNT=2' });
      const rows = [
        { anchor: T0 + DAY, expected: [endsAtAnchor, later, series] },
        { anchor: T0 + DAY + 1, expected: [later, series] },
        { anchor: T0 - 100 * DAY, expected: [past, endsAtAnchor, later, series] },
      ];
      for (const row of rows) {
        const res = await listEvents(zhangsan, cal, { anchor_time: String(row.anchor) });
        assert.deepEqual(res.data!.items!.map((e) => e.event_id).sort(), [...row.expected].sort(), `anchor ${row.anchor}`);
      }
      await assertRefused(listEvents(zhangsan, cal, { anchor_time: 'yesterday' }), { status: 400, code: 190002, field: 'anchor_time' });
    });

    test('window (start_time + end_time): one page of overlapping events, by start, truncated at page_size, never paged', async () => {
      const narrow = await listEvents(zhangsan, big, { start_time: String(T0 + 10 * HOUR), end_time: String(T0 + 12 * HOUR) });
      assert.deepEqual(narrow.data!.items!.map((e) => e.summary), ['event 10', 'event 11']);
      const wide = await listEvents(zhangsan, big, { start_time: String(T0), end_time: String(T0 + BIG * HOUR), page_size: 50 });
      assert.deepEqual(wide.data!.items!.map((e) => e.summary), Array.from({ length: 50 }, (_, i) => `event ${i}`));
      assert.equal(wide.data!.has_more, false);
      assert.equal('page_token' in wide.data!, false);
      assert.equal('sync_token' in wide.data!, false);
      const under = await listEvents(zhangsan, big, { start_time: String(T0), end_time: String(T0 + BIG * HOUR), page_size: 10 });
      assert.equal(under.data!.items!.length, 50, 'page_size under 50 counts as 50 here too');
    });

    test('window refusals: a lone bound, an empty window, page_token 190002, anchor_time 190002, sync_token 190009', async () => {
      const first = await listEvents(zhangsan, big, { page_size: 50 });
      const done = await allPages(big, {});
      const syncToken = done.pages[done.pages.length - 1].sync_token;
      const window = { start_time: String(T0), end_time: String(T0 + DAY) };
      const rows = [
        { params: { start_time: String(T0) }, expected: { status: 400, code: 190002, field: 'end_time' } },
        { params: { end_time: String(T0) }, expected: { status: 400, code: 190002, field: 'start_time' } },
        { params: { start_time: String(T0 + DAY), end_time: String(T0) }, expected: { status: 400, code: 190002, field: 'end_time' } },
        { params: { start_time: String(T0), end_time: String(T0) }, expected: { status: 400, code: 190002, field: 'end_time' } },
        { params: { ...window, page_token: first.data!.page_token }, expected: { status: 400, code: 190002, field: 'page_token' } },
        { params: { ...window, anchor_time: String(T0) }, expected: { status: 400, code: 190002, field: 'anchor_time' } },
        { params: { ...window, sync_token: syncToken }, expected: { status: 400, code: 190009, field: 'sync_token' } },
        { params: { start_time: 'monday', end_time: String(T0) }, expected: { status: 400, code: 190002, field: 'start_time' } },
      ];
      for (const row of rows) await assertRefused(listEvents(zhangsan, big, row.params), row.expected, JSON.stringify(row.params));
    });

    test('sync round trip: creations, edits and deletions since the token; a deleted event comes back cancelled', async () => {
      const cal = await sharedCalendar(s, zhangsan.token!);
      const make = async (summary: string) => (await createEvent(zhangsan, cal, { summary, ...timed(T0, T0 + HOUR) })).data!.event!.event_id;
      const [kept, edited, removed] = [await make('kept'), await make('edited'), await make('removed')];
      const full = await allPages(cal, {});
      assert.equal(full.items.length, 3);
      const token = full.pages[full.pages.length - 1].sync_token;

      const quiet = await listEvents(zhangsan, cal, { sync_token: token });
      assert.deepEqual(quiet.data!.items ?? [], []);
      assert.equal(quiet.data!.has_more, false);
      assert.equal(typeof quiet.data!.sync_token, 'string');

      const added = await make('added');
      await patchEvent(zhangsan, cal, edited, { summary: 'edited!' });
      await deleteEvent(zhangsan, cal, removed);
      const changes = await listEvents(zhangsan, cal, { sync_token: token });
      const byId = new Map(changes.data!.items!.map((e) => [e.event_id, e]));
      assert.deepEqual([...byId.keys()].sort(), [added, edited, removed].sort());
      assert.equal(byId.has(kept), false);
      assert.deepEqual(
        [byId.get(added)!.status, byId.get(edited)!.summary, byId.get(removed)!.status],
        ['confirmed', 'edited!', 'cancelled'],
      );
      assert.equal(changes.data!.has_more, false);
      assert.equal('page_token' in changes.data!, false);
      const next = changes.data!.sync_token!;
      assert.notEqual(next, token);
      // Nothing since: the new token is quiet; a personal change (colour) is a change of this calendar.
      assert.deepEqual((await listEvents(zhangsan, cal, { sync_token: next })).data!.items ?? [], []);
      await patchEvent(zhangsan, cal, kept, { color: 1234 });
      const personal = await listEvents(zhangsan, cal, { sync_token: next });
      assert.deepEqual(personal.data!.items!.map((e) => [e.event_id, e.color]), [[kept, 1234]]);
      // The plain listing no longer shows the deleted event.
      assert.deepEqual((await allPages(cal, {})).items.map((e: any) => e.event_id).sort(), [kept, edited, added].sort());
    });

    test('sync: an attendee removed by the organizer sees the event cancelled in their own sync; invited again, confirmed', async () => {
      const lisi: Caller = { client: zhangsan.client, token: await s.userToken('lisi') };
      const lisiPrimary = await primaryOf(lisi);
      const event = (await createEvent(zhangsan, 'primary', { summary: 'standup', ...timed(T0 + 40 * DAY, T0 + 40 * DAY + HOUR) })).data!.event!.event_id;
      const attendees = (data: object, op: 'create' | 'batchDelete') => (zhangsan.client.calendar.v4.calendarEventAttendee[op] as any)(
        { path: { calendar_id: 'primary', event_id: event }, params: { user_id_type: 'user_id' }, data }, as(zhangsan.token!));
      const invited = await attendees({ attendees: [{ type: 'user', user_id: 'lisi' }] }, 'create');
      assert.equal(invited.code, 0, JSON.stringify(invited));
      const syncOf = async (token?: string) => {
        const items: any[] = [];
        let pageToken: string | undefined;
        for (;;) {
          const res = await listEvents(lisi, lisiPrimary, token ? { sync_token: token } : { ...(pageToken ? { page_token: pageToken } : {}) });
          assert.equal(res.code, 0);
          items.push(...(res.data!.items ?? []));
          if (token || !res.data!.has_more) return { items, next: res.data!.sync_token! };
          pageToken = res.data!.page_token;
        }
      };
      const start = await syncOf();
      assert.deepEqual(start.items.filter((e) => e.event_id === event).map((e) => e.status), ['confirmed']);

      const removed = await attendees({ delete_ids: [{ type: 'user', user_id: 'lisi' }] }, 'batchDelete');
      assert.equal(removed.code, 0, JSON.stringify(removed));
      const afterRemoval = await syncOf(start.next);
      assert.deepEqual(afterRemoval.items.map((e) => [e.event_id, e.status]), [[event, 'cancelled']]);
      // Not listed any more, and the organizer's own calendar still has it.
      assert.equal((await eventIds(lisi, lisiPrimary)).includes(event), false);
      assert.ok((await eventIds(zhangsan, await primaryOf(zhangsan))).includes(event));
      assert.deepEqual((await syncOf(afterRemoval.next)).items, []);

      const again = await attendees({ attendees: [{ type: 'user', user_id: 'lisi' }] }, 'create');
      assert.equal(again.code, 0);
      const afterInvite = await syncOf(afterRemoval.next);
      assert.deepEqual(afterInvite.items.map((e) => [e.event_id, e.status]), [[event, 'confirmed']]);
      // From before the removal, the event's latest state wins: confirmed, once.
      assert.deepEqual((await syncOf(start.next)).items.map((e) => [e.event_id, e.status]), [[event, 'confirmed']]);
    });

    test('sync: an attendee who deletes the event from their calendar sees it cancelled, and nothing the organizer writes afterwards', async () => {
      const wangwu: Caller = { client: zhangsan.client, token: await s.userToken('wangwu') };
      const wangwuPrimary = await primaryOf(wangwu);
      const event = (await createEvent(zhangsan, 'primary', { summary: 'left behind', ...timed(T0 + 41 * DAY, T0 + 41 * DAY + HOUR) })).data!.event!.event_id;
      const invited = await zhangsan.client.calendar.v4.calendarEventAttendee.create(
        { path: { calendar_id: 'primary', event_id: event }, params: { user_id_type: 'user_id' }, data: { attendees: [{ type: 'user', user_id: 'wangwu' }] } }, as(zhangsan.token!));
      assert.equal(invited.code, 0);
      const pages = async (params: Record<string, unknown>) => {
        const res = await listEvents(wangwu, wangwuPrimary, params);
        assert.equal(res.code, 0);
        return res.data!;
      };
      let first = await pages({ page_size: 1000 });
      assert.equal(first.has_more, false);
      assert.equal((await deleteEvent(wangwu, wangwuPrimary, event)).code, 0);
      const afterDelete = await pages({ sync_token: first.sync_token });
      assert.deepEqual(afterDelete.items!.map((e) => [e.event_id, e.status]), [[event, 'cancelled']]);
      assert.equal((await patchEvent(zhangsan, 'primary', event, { summary: 'RENAMED AFTER LEAVING' })).code, 0);
      for (const token of [first.sync_token, afterDelete.sync_token]) {
        const changes = await pages({ sync_token: token });
        assert.equal(JSON.stringify(changes).includes('RENAMED AFTER LEAVING'), false, JSON.stringify(changes));
        assert.deepEqual(changes.items!.filter((e) => e.event_id === event).map((e) => e.status), token === first.sync_token ? ['cancelled'] : []);
      }
      first = await pages({ page_size: 1000 });
      assert.equal(first.items?.some((e) => e.event_id === event) ?? false, false);
    });

    test('sync: many changes come in pages, then a new sync_token', async () => {
      const cal = await sharedCalendar(s, zhangsan.token!);
      const token = (await allPages(cal, {})).pages[0].sync_token;
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) ids.push((await createEvent(zhangsan, cal, timed(T0, T0 + HOUR))).data!.event!.event_id);
      const first = await listEvents(zhangsan, cal, { sync_token: token, page_size: 50 });
      assert.equal(first.data!.items!.length, 50);
      assert.equal(first.data!.has_more, true);
      assert.equal(first.data!.sync_token, undefined);
      const second = await listEvents(zhangsan, cal, { page_token: first.data!.page_token, page_size: 50 });
      assert.equal(second.data!.items!.length, 10);
      assert.equal(second.data!.has_more, false);
      assert.equal('page_token' in second.data!, false);
      assert.equal(typeof second.data!.sync_token, 'string');
      assert.deepEqual([...first.data!.items!, ...second.data!.items!].map((e) => e.event_id).sort(), ids.sort());
    });

    test('bad tokens: an undecodable or future sync_token is 190008, so is a bad page_token', async () => {
      const rows = [
        { params: { sync_token: 'garbage' }, field: 'sync_token' },
        { params: { sync_token: forge('event-sync', 10 ** 12) }, field: 'sync_token' },
        { params: { sync_token: forge('event-page', { since: 1 }) }, field: 'sync_token' },
        { params: { page_token: 'garbage' }, field: 'page_token' },
        { params: { page_token: forge('calendar-page', { after: 'x', seq: 1 }) }, field: 'page_token' },
      ];
      for (const row of rows) await assertRefused(listEvents(zhangsan, big, row.params), { status: 400, code: 190008, field: row.field }, JSON.stringify(row.params));
    });

    test('bad tokens: a well-formed token holding a wrong-typed position is 190008, not a 500', async () => {
      const rows = [
        { page_token: forge('event-page', 7) },
        { page_token: forge('event-page', { after: 5, seq: 'x' }) },
        { sync_token: forge('event-sync', 'x') },
        { sync_token: forge('event-sync', { since: 1 }) },
      ];
      for (const params of rows) {
        await assertRefused(listEvents(zhangsan, big, params), { status: 400, code: 190008 }, JSON.stringify(params));
      }
    });

    test('busy time on an attendee\'s calendar names no organizer (Feishu and DingTalk)', async () => {
      // An event on a private calendar, private, with zhaoliu invited: lisi sees zhaoliu's calendar as free/busy only.
      const hidden = await sharedCalendar(s, zhangsan.token!, {});
      const event = (await createEvent(zhangsan, hidden, { summary: 'organized in secret', visibility: 'private', ...timed(T0 + 50 * DAY, T0 + 50 * DAY + HOUR) })).data!.event!.event_id;
      const invited = await zhangsan.client.calendar.v4.calendarEventAttendee.create(
        { path: { calendar_id: hidden, event_id: event }, params: { user_id_type: 'user_id' }, data: { attendees: [{ type: 'user', user_id: 'zhaoliu' }] } }, as(zhangsan.token!));
      assert.equal(invited.code, 0);
      const zhaoliuPrimary = await primaryOf({ client: zhangsan.client, token: await s.userToken('zhaoliu') });
      const lisi: Caller = { client: zhangsan.client, token: await s.userToken('lisi') };
      const seen = await listEvents(lisi, zhaoliuPrimary, { start_time: String(T0 + 50 * DAY - HOUR), end_time: String(T0 + 50 * DAY + 2 * HOUR) });
      const items = seen.data!.items!.filter((e) => e.event_id === event);
      assert.deepEqual(items.map((e) => [e.summary, e.organizer_calendar_id, e.event_organizer]), [['', '', undefined]]);
      assert.equal(JSON.stringify(seen.data).includes(hidden), false);
      const got = await zhangsan.client.calendar.v4.calendarEvent.get({ path: { calendar_id: zhaoliuPrimary, event_id: event } }, as(lisi.token!));
      assert.equal(JSON.stringify(got.data).includes(hidden), false);

      const app = await dingtalkAppToken(s.url, 'dingacme', 'acme-secret');
      const ding = await dingtalk(s.url, app, 'GET', `/calendar/users/on_lisi/calendars/${encodeURIComponent(zhaoliuPrimary)}/events/${event}`);
      assert.equal(ding.status, 200, ding.text);
      assert.deepEqual([ding.json.summary, ding.json.organizer], ['', undefined]);
    });

    test('a free_busy_reader lists busy time only', async () => {
      const res = await listEvents(sunqi, big, { start_time: String(T0), end_time: String(T0 + 2 * HOUR) });
      assert.deepEqual(res.data!.items!.map((e) => [e.summary, e.start_time.timestamp]), [['', String(T0)], ['', String(T0 + HOUR)]]);
    });
  });
}
