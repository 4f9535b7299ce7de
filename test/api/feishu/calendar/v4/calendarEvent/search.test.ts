import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

const DAY = 86_400;

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEvent.search`, () => {
    let s: TestServer;
    let c: lark.Client;
    let owner: string;
    let calendarId: string;
    const now = () => Math.floor(s.clock.now() / 1000);
    const as = () => lark.withUserAccessToken(owner);
    const ids: Record<string, string> = {};

    async function mk(summary: string, startOffsetDays: number, extra: Record<string, unknown> = {}) {
      const start = now() + startOffsetDays * DAY;
      const res = await c.calendar.v4.calendarEvent.create({
        path: { calendar_id: calendarId },
        data: { summary, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 3600) }, ...extra },
      }, as());
      assert.equal(res.code, 0, JSON.stringify(res));
      ids[summary] = res.data!.event!.event_id!;
      return res.data!.event!;
    }
    const search = async (query: string, filter?: Record<string, unknown>, token = owner) => {
      const res = await c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, params: { page_size: 100 }, data: { query, ...(filter ? { filter } : {}) } }, lark.withUserAccessToken(token));
      return res.data!.items!.map((i) => i.summary!).sort();
    };

    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      owner = await s.userToken('zhangsan');
      const cal = await c.calendar.v4.calendar.create({ data: { summary: 'search', permissions: 'public' } }, as());
      calendarId = cal.data!.calendar!.calendar_id!;
      await mk('产品周会', 1);
      await mk('Daily Standup', 2);
      await mk('周会 Weekly sync 复盘', 3);
      await mk('release_v2_review', 4);
      await mk('Old meeting 周会', -40);
      await mk('Far future 周会', 40);
      await mk('Private 周会', 5, { visibility: 'private' });
    });
    after(() => s.close());

    test('query: a case-insensitive substring of the summary, in Chinese, English and mixed text', async () => {
      assert.deepEqual(await search('周会'), ['Private 周会', '产品周会', '周会 Weekly sync 复盘']);
      assert.deepEqual(await search('standup'), ['Daily Standup']);
      assert.deepEqual(await search('STANDUP'), ['Daily Standup']);
      assert.deepEqual(await search('weekly SYNC 复'), ['周会 Weekly sync 复盘']);
      assert.deepEqual(await search('nothing like this'), []);
    });

    test('a summary with an underscore is found only by the exact query (documented)', async () => {
      assert.deepEqual(await search('release'), []);
      assert.deepEqual(await search('v2_review'), []);
      assert.deepEqual(await search('release_v2_review'), ['release_v2_review']);
      assert.deepEqual(await search('RELEASE_V2_REVIEW'), ['release_v2_review']);
    });

    test('an empty query with no filter finds the month around now; an explicit window finds the rest', async () => {
      assert.deepEqual((await search('')).length, 5);
      const old = await search('', { start_time: { timestamp: String(now() - 45 * DAY) }, end_time: { timestamp: String(now() - 35 * DAY) } });
      assert.deepEqual(old, ['Old meeting 周会']);
      const future = await search('周会', { start_time: { date: new Date((now() + 39 * DAY) * 1000).toISOString().slice(0, 10) } });
      assert.deepEqual(future, ['Far future 周会']);
    });

    test('filter time bounds: date xor timestamp, end not before start, bad zone, all 190002 naming the field', async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ start_time: { date: '2026-01-01', timestamp: '1700000000' } }, /filter\.start_time/],
        [{ start_time: { timestamp: '1700000000' }, end_time: { timestamp: '1600000000' } }, /filter\.end_time/],
        [{ start_time: { timestamp: '1700000000', timezone: 'Mars/Olympus' } }, /timezone/],
        [{ end_time: { date: '2026-13-01' } }, /date/],
      ];
      for (const [filter, field] of cases) {
        const res = await feishuFailure(c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, data: { query: '', filter } }, as()));
        assert.deepEqual([res.status, res.code], [400, 190002], JSON.stringify(filter));
        assert.match(res.msg, field);
      }
      const long = await feishuFailure(c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, data: { query: 'x'.repeat(201) } }, as()));
      assert.deepEqual([long.code, /query/.test(long.msg)], [190002, true]);
      const big = await feishuFailure(c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, params: { page_size: 101 }, data: { query: '' } }, as()));
      assert.deepEqual([big.status, big.code], [400, 190002]);
    });

    test('a recurring series is a hit when one of its occurrences falls in the window, once, by its own id', async () => {
      const series = await mk('Recurring 周会', -100, { recurrence: 'FREQ=WEEKLY' });
      const res = await c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, data: { query: 'Recurring' } }, as());
      assert.deepEqual(res.data!.items!.map((i) => i.event_id), [series.event_id]);
      const bounded = await mk('Ended series', -100, { recurrence: 'FREQ=DAILY;COUNT=3' });
      assert.ok(bounded.event_id);
      assert.deepEqual(await search('Ended series'), []);
    });

    test('visibility: a reader never finds a private event\'s summary; free_busy_reader cannot search (191002)', async () => {
      const lisi = await s.userToken('lisi');
      assert.deepEqual(await search('周会', undefined, lisi), ['Recurring 周会', '产品周会', '周会 Weekly sync 复盘']);
      const fbr = await s.userToken('wangwu');
      const priv = await c.calendar.v4.calendar.create({ data: { summary: 'fb', permissions: 'show_only_free_busy' } }, as());
      const res = await feishuFailure(c.calendar.v4.calendarEvent.search({ path: { calendar_id: priv.data!.calendar!.calendar_id }, data: { query: '' } }, lark.withUserAccessToken(fbr)));
      assert.deepEqual([res.status, res.code], [403, 191002]);
      const other = await feishuFailure(s.lark('cli_globex').calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, data: { query: '' } }));
      assert.deepEqual([other.status, other.code], [404, 191000]);
    });

    test('attendee filters: user_ids, room_ids, chat_ids, alone and combined', async () => {
      const withUser = await mk('With lisi', 6);
      const withRoom = await mk('With room', 7);
      const withBoth = await mk('With lisi and room', 8);
      const withChat = await mk('With chat', 9);
      const add = (eventId: string, attendees: unknown[]) => c.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: calendarId, event_id: eventId }, params: { user_id_type: 'user_id' }, data: { attendees: attendees as any, need_notification: false },
      }, as());
      assert.equal((await add(withUser.event_id, [{ type: 'user', user_id: 'lisi' }])).code, 0);
      assert.equal((await add(withRoom.event_id, [{ type: 'resource', room_id: 'omm_room1' }])).code, 0);
      assert.equal((await add(withBoth.event_id, [{ type: 'user', user_id: 'lisi' }, { type: 'resource', room_id: 'omm_room1' }])).code, 0);
      assert.equal((await add(withChat.event_id, [{ type: 'chat', chat_id: 'oc_team' }])).code, 0);
      assert.deepEqual(await search('With', { user_ids: ['ou_lisi'] }), ['With chat', 'With lisi', 'With lisi and room']);
      assert.deepEqual(await search('With', { room_ids: ['omm_room1'] }), ['With lisi and room', 'With room']);
      assert.deepEqual(await search('With', { chat_ids: ['oc_team'] }), ['With chat']);
      assert.deepEqual(await search('With', { user_ids: ['ou_lisi'], room_ids: ['omm_room1'] }), ['With lisi and room']);
      const unknown = await feishuFailure(c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, data: { query: '', filter: { user_ids: ['ou_hank'] } } }, as()));
      assert.deepEqual([unknown.status, unknown.code], [404, 195100]);
    });

    test('attendee filters never match attendees the caller may not see (a private event to a reader, attendee_ability none to an attendee)', async () => {
      const lisi = await s.userToken('lisi');
      const sunqi = await s.userToken('sunqi');
      const add = (eventId: string, userIds: string[]) => c.calendar.v4.calendarEventAttendee.create({
        path: { calendar_id: calendarId, event_id: eventId }, params: { user_id_type: 'user_id' },
        data: { attendees: userIds.map((user_id) => ({ type: 'user', user_id })) as any, need_notification: false },
      }, as());
      const secret = await mk('Secret with sunqi', 10, { visibility: 'private', attendee_ability: 'can_see_others' });
      assert.equal((await add(secret.event_id, ['sunqi'])).code, 0);
      const hidden = await mk('Hidden list', 11, { attendee_ability: 'none' });
      assert.equal((await add(hidden.event_id, ['sunqi', 'zhouba'])).code, 0);
      const byAttendee = async (token: string, cal: string, filter: Record<string, unknown>) => {
        const res = await c.calendar.v4.calendarEvent.search({ path: { calendar_id: cal }, params: { page_size: 100, user_id_type: 'user_id' }, data: { query: '', filter } }, lark.withUserAccessToken(token));
        assert.equal(res.code, 0, JSON.stringify(res));
        return res.data!.items!.map((i) => i.event_id);
      };

      // The reader may not list the private event's attendees (193002), so no attendee filter finds it.
      const refused = await feishuFailure(c.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: calendarId, event_id: secret.event_id }, params: { user_id_type: 'user_id' } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([refused.status, refused.code], [403, 193002]);
      assert.deepEqual(await byAttendee(lisi, calendarId, { user_ids: ['sunqi'] }), [hidden.event_id]);
      assert.deepEqual(await byAttendee(owner, calendarId, { user_ids: ['sunqi'] }), [secret.event_id, hidden.event_id]);
      // Without a filter the reader still sees it as busy time, as get shows it.
      const busy = (await c.calendar.v4.calendarEvent.search({ path: { calendar_id: calendarId }, params: { page_size: 100 }, data: { query: '' } }, lark.withUserAccessToken(lisi))).data!.items!;
      assert.deepEqual(busy.filter((i) => i.event_id === secret.event_id).map((i) => i.summary), ['']);

      // sunqi, invited with attendee_ability none, sees only his own invitation from his calendar.
      const primary = (await c.calendar.v4.calendar.primary({}, lark.withUserAccessToken(sunqi))).data!.calendars![0].calendar!.calendar_id;
      const own = await feishuFailure(c.calendar.v4.calendarEventAttendee.list({ path: { calendar_id: primary, event_id: hidden.event_id } }, lark.withUserAccessToken(sunqi)));
      assert.deepEqual([own.status, own.code], [403, 193002]);
      assert.deepEqual(await byAttendee(sunqi, primary, { user_ids: ['zhouba'] }), []);
      assert.deepEqual(await byAttendee(sunqi, primary, { user_ids: ['zhouba', 'sunqi'] }), [secret.event_id, hidden.event_id]);
      assert.deepEqual(await byAttendee(sunqi, primary, { user_ids: ['sunqi'], chat_ids: ['oc_team'] }), []);
    });

    test('searchWithIterator walks 250 hits; the last page has no page_token; has_more never without one', async () => {
      const t = await s.userToken('zhaoliu');
      const cal = await c.calendar.v4.calendar.create({ data: { summary: 'bulk' } }, lark.withUserAccessToken(t));
      const cid = cal.data!.calendar!.calendar_id;
      for (let i = 0; i < 250; i++) {
        const start = now() + (i % 20) * 3600;
        await c.calendar.v4.calendarEvent.create({ path: { calendar_id: cid }, data: { summary: `bulk 例会 ${i}`, start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 1800) } } }, lark.withUserAccessToken(t));
      }
      const seen = new Set<string>();
      let pages = 0;
      for await (const page of await c.calendar.v4.calendarEvent.searchWithIterator({ path: { calendar_id: cid }, params: { page_size: 30 }, data: { query: '例会' } }, lark.withUserAccessToken(t))) {
        pages++;
        for (const it of page?.items ?? []) seen.add(it.event_id);
      }
      assert.equal(seen.size, 250);
      assert.equal(pages, 9);
      let token: string | undefined;
      do {
        const res = await c.calendar.v4.calendarEvent.search({ path: { calendar_id: cid }, params: { page_size: 100, ...(token ? { page_token: token } : {}) }, data: { query: '例会' } }, lark.withUserAccessToken(t));
        const data = res.data as { has_more?: boolean; page_token?: string };
        assert.equal(Boolean(data.has_more), 'page_token' in data);
        token = data.page_token;
      } while (token);
    });

    test('query folds case in any script, as PostgreSQL\'s ILIKE does: Latin with diacritics, Cyrillic, Greek; CJK has no case', async () => {
      await mk('Übergabe ÄÖÜ Straße', 6);
      await mk('Встреча КОМАНДЫ', 6);
      await mk('ΣΥΝΑΝΤΗΣΗ ομάδας', 6);
      await mk('Ångström 100%', 6);
      assert.deepEqual(await search('äöü'), ['Übergabe ÄÖÜ Straße']);
      assert.deepEqual(await search('ÜBERGABE'), ['Übergabe ÄÖÜ Straße']);
      assert.deepEqual(await search('команды'), ['Встреча КОМАНДЫ']);
      assert.deepEqual(await search('ВСТРЕЧА'), ['Встреча КОМАНДЫ']);
      assert.deepEqual(await search('συνάντηση'), []);
      assert.deepEqual(await search('συναντηση'), ['ΣΥΝΑΝΤΗΣΗ ομάδας']);
      // A capital sigma folds to σ wherever it stands, as PostgreSQL's lower() does.
      assert.deepEqual(await search('ΣΥΝΑΝΤΗΣ'), ['ΣΥΝΑΝΤΗΣΗ ομάδας']);
      assert.deepEqual(await search('ΟΜΆΔΑ'), ['ΣΥΝΑΝΤΗΣΗ ομάδας']);
      assert.deepEqual(await search('ÅNGSTRÖM'), ['Ångström 100%']);
      // LIKE's metacharacters stay literal.
      assert.deepEqual(await search('100%'), ['Ångström 100%']);
      assert.deepEqual(await search('0%%'), []);
      assert.deepEqual(await search('产品周会'), ['产品周会']);
    });
  });
}
