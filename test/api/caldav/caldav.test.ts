import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { STORES } from '../../helpers/stores.js';
import { calls, dingtalkFixture } from '../dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../dingtalk/calendar/fixtures.js';
import { davFor, ics } from './helpers.js';

const T = 1_893_974_400; // 2030-01-07T00:00:00Z

for (const kind of STORES) {
  describe(`${kind}: CalDAV`, () => {
    let f: DingtalkFixture;
    let dav: Awaited<ReturnType<typeof davFor>>;
    before(async () => {
      f = await dingtalkFixture(kind);
      dav = await davFor(f);
    });
    after(() => f.close());

    test('discovery: well-known redirect, principal, home, calendars with their properties', async () => {
      const wk = await fetch(new URL('/.well-known/caldav', dav.base), { method: 'PROPFIND', redirect: 'manual' });
      assert.equal(wk.status, 301);
      assert.equal(wk.headers.get('location'), '/dav/');
      const opts = await dav.request('OPTIONS', '');
      assert.match(opts.headers.get('dav') ?? '', /calendar-access/);
      const noAuth = await fetch(dav.base, { method: 'PROPFIND' });
      assert.equal(noAuth.status, 401);
      const root = await dav.request('PROPFIND', '', '<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>', { depth: '0' });
      assert.equal(root.status, 207);
      assert.match(root.text, new RegExp(`<D:href>/dav/principals/${dav.user}/</D:href>`));
      const home = await dav.request('PROPFIND', `principals/${dav.user}/`, '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-home-set/></d:prop></d:propfind>', { depth: '0' });
      assert.match(home.text, new RegExp(`<C:calendar-home-set><D:href>/dav/calendars/${dav.user}/</D:href>`));
      const list = await dav.request('PROPFIND', `calendars/${dav.user}/`, '<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:a="http://apple.com/ns/ical/"><d:prop><d:displayname/><d:resourcetype/><a:calendar-color/><c:supported-calendar-component-set/><cs:getctag/><d:sync-token/><d:current-user-privilege-set/></d:prop></d:propfind>', { depth: '1' });
      assert.equal(list.status, 207);
      assert.ok(list.text.includes(encodeURIComponent(dav.primary)), list.text);
      assert.match(list.text, /<C:comp name="VEVENT"\/>/);
      assert.match(list.text, /<D:sync-token>http:\/\/rili\.invalid\/sync\/\d+<\/D:sync-token>/);
      assert.match(list.text, /<D:privilege><D:write\/><\/D:privilege>/);
    });

    test('made in Feishu, read over CalDAV (GET and calendar-query with a time range)', async () => {
      const made = await dav.client.calendar.v4.calendarEvent.create({
        path: { calendar_id: dav.primary },
        data: { summary: 'from feishu', start_time: { timestamp: String(T + 3600), timezone: 'Asia/Shanghai' }, end_time: { timestamp: String(T + 7200), timezone: 'Asia/Shanghai' }, recurrence: 'FREQ=DAILY;COUNT=3' },
      }, dav.as);
      assert.equal(made.code, 0, made.msg);
      const uid = made.data!.event!.event_id.split('_')[0];
      const got = await dav.request('GET', `${dav.calendarUrl}${uid}.ics`);
      assert.equal(got.status, 200);
      assert.ok(got.headers.get('etag'));
      const vevent = new ICAL.Component(ICAL.parse(got.text) as unknown[]).getFirstSubcomponent('vevent')!;
      assert.equal(vevent.getFirstPropertyValue('summary'), 'from feishu');
      assert.equal(vevent.getFirstProperty('dtstart')!.getParameter('tzid'), 'Asia/Shanghai');
      const query = (from: string, to: string) => dav.request('REPORT', dav.calendarUrl, `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="${from}" end="${to}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`, { depth: '1' });
      // The third day's occurrence is in range; a week later nothing is.
      assert.ok((await query('20300109T000000Z', '20300110T000000Z')).text.includes(`${uid}.ics`));
      assert.ok(!(await query('20300115T000000Z', '20300116T000000Z')).text.includes(`${uid}.ics`));
    });

    test('PUT over CalDAV → Feishu get and DingTalk GetEvent; a stale ETag gets 412 and loses nothing', async () => {
      const body = ics('client-uid-1@example.test', ['DTSTART;TZID=Europe/Berlin:20300110T090000', 'DTEND;TZID=Europe/Berlin:20300110T100000', 'SUMMARY:from caldav', 'LOCATION:Room 9']);
      const put = await dav.request('PUT', `${dav.calendarUrl}client-1.ics`, body, { 'content-type': 'text/calendar', 'if-none-match': '*' });
      assert.equal(put.status, 201, put.text);
      const etag = put.headers.get('etag')!;
      const again = await dav.request('PUT', `${dav.calendarUrl}client-1.ics`, body, { 'content-type': 'text/calendar', 'if-none-match': '*' });
      assert.equal(again.status, 412);
      const got = await dav.request('GET', `${dav.calendarUrl}client-1.ics`);
      assert.match(got.text, /UID:client-uid-1@example\.test/);
      assert.equal(got.headers.get('etag'), etag);
      const list = await dav.client.calendar.v4.calendarEvent.list({ path: { calendar_id: dav.primary }, params: { page_size: 500 } }, dav.as);
      const ev = list.data!.items!.find((e) => e.summary === 'from caldav')!;
      assert.ok(ev, 'the event shows in Feishu');
      assert.deepEqual(ev.start_time, { timestamp: String(Date.UTC(2030, 0, 10, 8) / 1000), timezone: 'Europe/Berlin' });
      assert.equal(ev.location?.name, 'Room 9');
      const ding = await calls(f).get('on_zhangsan', ev.event_id);
      assert.equal(ding.summary, 'from caldav');

      // Two clients hold the same ETag; the first update wins, the second gets 412 and changes nothing.
      const first = await dav.request('PUT', `${dav.calendarUrl}client-1.ics`, body.replace('SUMMARY:from caldav', 'SUMMARY:first'), { 'if-match': etag });
      assert.equal(first.status, 204);
      const second = await dav.request('PUT', `${dav.calendarUrl}client-1.ics`, body.replace('SUMMARY:from caldav', 'SUMMARY:second'), { 'if-match': etag });
      assert.equal(second.status, 412);
      const now = await dav.client.calendar.v4.calendarEvent.get({ path: { calendar_id: dav.primary, event_id: ev.event_id } }, dav.as);
      assert.equal(now.data!.event!.summary, 'first');
      const del = await dav.request('DELETE', `${dav.calendarUrl}client-1.ics`, undefined, { 'if-match': etag });
      assert.equal(del.status, 412);
      const gone = await dav.request('DELETE', `${dav.calendarUrl}client-1.ics`, undefined, { 'if-match': first.headers.get('etag')! });
      assert.equal(gone.status, 204);
      assert.equal((await dav.request('GET', `${dav.calendarUrl}client-1.ics`)).status, 404);
    });

    test('a series with one moved and one deleted occurrence survives a round trip', async () => {
      const body = ics('series-1@example.test', [
        'DTSTART;TZID=Asia/Shanghai:20300114T100000', 'DTEND;TZID=Asia/Shanghai:20300114T110000', 'SUMMARY:standup', 'RRULE:FREQ=DAILY;COUNT=5',
        'EXDATE;TZID=Asia/Shanghai:20300116T100000',
      ], ['BEGIN:VEVENT', 'UID:series-1@example.test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=Asia/Shanghai:20300115T100000',
        'DTSTART;TZID=Asia/Shanghai:20300115T150000', 'DTEND;TZID=Asia/Shanghai:20300115T160000', 'SUMMARY:standup (moved)', 'END:VEVENT']);
      const put = await dav.request('PUT', `${dav.calendarUrl}series-1.ics`, body, { 'if-none-match': '*' });
      assert.equal(put.status, 201, put.text);
      const got = await dav.request('GET', `${dav.calendarUrl}series-1.ics`);
      const cal = new ICAL.Component(ICAL.parse(got.text) as unknown[]);
      const vevents = cal.getAllSubcomponents('vevent');
      assert.equal(vevents.length, 2);
      assert.equal(String(vevents[0].getFirstPropertyValue('exdate')), '2030-01-16T10:00:00');
      assert.equal(vevents[1].getFirstPropertyValue('summary'), 'standup (moved)');
      // Feishu's instances say the same.
      const uid = (await dav.client.calendar.v4.calendarEvent.list({ path: { calendar_id: dav.primary }, params: { page_size: 500 } }, dav.as))
        .data!.items!.find((e) => e.summary === 'standup' && e.recurrence)!.event_id;
      const inst = await dav.client.calendar.v4.calendarEvent.instances({ path: { calendar_id: dav.primary, event_id: uid }, params: { start_time: String(T), end_time: String(T + 30 * 86400) } }, dav.as);
      assert.deepEqual(inst.data!.items!.map((i) => i.summary), ['standup', 'standup (moved)', 'standup', 'standup']);
      // Sent back unchanged, it changes nothing.
      const same = await dav.request('PUT', `${dav.calendarUrl}series-1.ics`, got.text, { 'if-match': got.headers.get('etag')! });
      assert.equal(same.status, 204);
      assert.equal(same.headers.get('etag'), got.headers.get('etag'));
    });

    test('a PUT without an override turns the exception back into a plain occurrence; without the EXDATE the occurrence returns', async () => {
      const master = ['DTSTART:20300301T090000Z', 'DTEND:20300301T100000Z', 'SUMMARY:revert me', 'RRULE:FREQ=DAILY;COUNT=3'];
      const moved = ['BEGIN:VEVENT', 'UID:revert-1@example.test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID:20300302T090000Z',
        'DTSTART:20300302T150000Z', 'DTEND:20300302T160000Z', 'SUMMARY:revert me (moved)', 'END:VEVENT'];
      const put = await dav.request('PUT', `${dav.calendarUrl}revert-1.ics`, ics('revert-1@example.test', [...master, 'EXDATE:20300303T090000Z'], moved));
      assert.equal(put.status, 201, put.text);
      const id = (await dav.client.calendar.v4.calendarEvent.list({ path: { calendar_id: dav.primary }, params: { page_size: 500 } }, dav.as))
        .data!.items!.find((e) => e.summary === 'revert me' && e.recurrence)!.event_id;
      const instances = async () => (await dav.client.calendar.v4.calendarEvent.instances({
        path: { calendar_id: dav.primary, event_id: id }, params: { start_time: String(Date.UTC(2030, 2, 1) / 1000), end_time: String(Date.UTC(2030, 2, 5) / 1000) },
      }, dav.as)).data!.items!.map((i) => `${i.summary}@${new Date(Number(i.start_time!.timestamp) * 1000).toISOString().slice(5, 16)}`);
      assert.deepEqual(await instances(), ['revert me@03-01T09:00', 'revert me (moved)@03-02T15:00']);
      // Sent without the override (the EXDATE kept): the moved occurrence is back at its own time.
      const noOverride = await dav.request('PUT', `${dav.calendarUrl}revert-1.ics`, ics('revert-1@example.test', [...master, 'EXDATE:20300303T090000Z']));
      assert.equal(noOverride.status, 204, noOverride.text);
      assert.deepEqual(await instances(), ['revert me@03-01T09:00', 'revert me@03-02T09:00']);
      const got = await dav.request('GET', `${dav.calendarUrl}revert-1.ics`);
      const vevents = new ICAL.Component(ICAL.parse(got.text) as unknown[]).getAllSubcomponents('vevent');
      assert.equal(vevents.length, 1, got.text);
      assert.equal(String(vevents[0].getFirstPropertyValue('exdate')), '2030-03-03T09:00:00Z');
      // Sent without the EXDATE too: the deleted occurrence returns.
      assert.equal((await dav.request('PUT', `${dav.calendarUrl}revert-1.ics`, ics('revert-1@example.test', master))).status, 204);
      assert.deepEqual(await instances(), ['revert me@03-01T09:00', 'revert me@03-02T09:00', 'revert me@03-03T09:00']);
      const plain = await dav.request('GET', `${dav.calendarUrl}revert-1.ics`);
      assert.ok(!plain.text.includes('EXDATE') && !plain.text.includes('RECURRENCE-ID'), plain.text);
      // The occurrence can become an exception again.
      const again = await dav.request('PUT', `${dav.calendarUrl}revert-1.ics`, ics('revert-1@example.test', master, moved));
      assert.equal(again.status, 204, again.text);
      assert.deepEqual(await instances(), ['revert me@03-01T09:00', 'revert me (moved)@03-02T15:00', 'revert me@03-03T09:00']);
    });

    test('calendar-query with expand: each occurrence a VEVENT in UTC with RECURRENCE-ID and no RRULE', async () => {
      const body = ics('expand-1@example.test', [
        'DTSTART;TZID=Asia/Shanghai:20300401T090000', 'DTEND;TZID=Asia/Shanghai:20300401T100000', 'SUMMARY:expand me', 'RRULE:FREQ=DAILY;COUNT=10',
        'EXDATE;TZID=Asia/Shanghai:20300403T090000',
      ], ['BEGIN:VEVENT', 'UID:expand-1@example.test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=Asia/Shanghai:20300404T090000',
        'DTSTART;TZID=Asia/Shanghai:20300404T140000', 'DTEND;TZID=Asia/Shanghai:20300404T150000', 'SUMMARY:expand me (moved)', 'END:VEVENT']);
      assert.equal((await dav.request('PUT', `${dav.calendarUrl}expand-1.ics`, body)).status, 201);
      const report = await dav.request('REPORT', dav.calendarUrl, `<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><d:getetag/><c:calendar-data><c:expand start="20300401T000000Z" end="20300405T000000Z"/></c:calendar-data></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20300401T000000Z" end="20300405T000000Z"/><c:prop-filter name="UID"><c:text-match>expand-1@</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`, { depth: '1' });
      assert.equal(report.status, 207, report.text);
      const data = /<C:calendar-data>([^<]*)<\/C:calendar-data>/.exec(report.text)![1].replace(/&#13;|&#xD;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      const cal = new ICAL.Component(ICAL.parse(data) as unknown[]);
      assert.equal(cal.getAllSubcomponents('vtimezone').length, 0);
      const vevents = cal.getAllSubcomponents('vevent');
      assert.deepEqual(vevents.map((v) => [String(v.getFirstPropertyValue('recurrence-id')), String(v.getFirstPropertyValue('dtstart')), v.getFirstPropertyValue('summary')]), [
        ['2030-04-01T01:00:00Z', '2030-04-01T01:00:00Z', 'expand me'],
        ['2030-04-02T01:00:00Z', '2030-04-02T01:00:00Z', 'expand me'],
        ['2030-04-04T01:00:00Z', '2030-04-04T06:00:00Z', 'expand me (moved)'],
      ]);
      assert.ok(vevents.every((v) => !v.hasProperty('rrule') && !v.hasProperty('exdate')));
      // limit-recurrence-set: the master (with its EXDATE) and only the overrides meeting the range.
      const limit = (start: string, end: string) => dav.request('REPORT', dav.calendarUrl, `<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:limit-recurrence-set start="${start}" end="${end}"/></c:calendar-data></d:prop><d:href>${new URL(dav.calendarUrl).pathname}expand-1.ics</d:href></c:calendar-multiget>`);
      const early = await limit('20300401T000000Z', '20300403T000000Z');
      assert.match(early.text, /RRULE:FREQ=DAILY;COUNT=10/);
      assert.match(early.text, /EXDATE;TZID=Asia\/Shanghai:20300403T090000/);
      assert.ok(!early.text.includes('RECURRENCE-ID'), early.text);
      assert.match((await limit('20300404T000000Z', '20300405T000000Z')).text, /RECURRENCE-ID;TZID=Asia\/Shanghai:20300404T090000/);
      assert.equal((await dav.request('REPORT', dav.calendarUrl, '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data><c:expand start="20300405T000000Z"/></c:calendar-data></d:prop></c:calendar-query>')).status, 400);
    });

    test('free-busy-query: a VFREEBUSY of the opaque occurrences in the range, in UTC', async () => {
      await dav.request('PUT', `${dav.calendarUrl}fb-1.ics`, ics('fb-1@example.test', ['DTSTART;TZID=Asia/Shanghai:20300501T090000', 'DTEND;TZID=Asia/Shanghai:20300501T100000', 'SUMMARY:fb daily', 'RRULE:FREQ=DAILY;COUNT=5']));
      await dav.request('PUT', `${dav.calendarUrl}fb-2.ics`, ics('fb-2@example.test', ['DTSTART:20300502T120000Z', 'DTEND:20300502T130000Z', 'SUMMARY:fb free', 'TRANSP:TRANSPARENT']));
      await dav.request('PUT', `${dav.calendarUrl}fb-3.ics`, ics('fb-3@example.test', ['DTSTART:20300502T225000Z', 'DTEND:20300503T010000Z', 'SUMMARY:fb late']));
      const res = await dav.request('REPORT', dav.calendarUrl, '<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"><c:time-range start="20300501T000000Z" end="20300503T000000Z"/></c:free-busy-query>', { depth: '1' });
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^text\/calendar/);
      const fb = new ICAL.Component(ICAL.parse(res.text) as unknown[]).getFirstSubcomponent('vfreebusy')!;
      assert.equal(String(fb.getFirstPropertyValue('dtstart')), '2030-05-01T00:00:00Z');
      assert.equal(String(fb.getFirstPropertyValue('dtend')), '2030-05-03T00:00:00Z');
      const periods = fb.getAllProperties('freebusy').map((p) => `${String(p.getParameter('fbtype'))} ${String(p.getFirstValue())}`);
      assert.deepEqual(periods, [
        'BUSY 2030-05-01T01:00:00Z/2030-05-01T02:00:00Z',
        'BUSY 2030-05-02T01:00:00Z/2030-05-02T02:00:00Z',
        'BUSY 2030-05-02T22:50:00Z/2030-05-03T00:00:00Z',
      ]);
      const bad = await dav.request('REPORT', dav.calendarUrl, '<c:free-busy-query xmlns:c="urn:ietf:params:xml:ns:caldav"/>');
      assert.equal(bad.status, 400);
    });

    test('sync-collection reports changes and deletions from the change log', async () => {
      const q = (token: string) => dav.request('REPORT', dav.calendarUrl, `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`);
      const first = await q('');
      const token = /<D:sync-token>([^<]+)<\/D:sync-token>/.exec(first.text)![1];
      await dav.request('PUT', `${dav.calendarUrl}sync-1.ics`, ics('sync-1@x', ['DTSTART:20300120T010000Z', 'DTEND:20300120T020000Z', 'SUMMARY:s']));
      const next = await q(token);
      assert.match(next.text, /sync-1\.ics<\/D:href><D:propstat>/);
      const token2 = /<D:sync-token>([^<]+)<\/D:sync-token>/.exec(next.text)![1];
      await dav.request('DELETE', `${dav.calendarUrl}sync-1.ics`);
      const last = await q(token2);
      assert.match(last.text, /sync-1\.ics<\/D:href><D:status>HTTP\/1\.1 404 Not Found/);
      assert.equal((await q('http://rili.invalid/sync/999999999')).status, 403);
    });

    test('a calendar the user may only read is read-only over CalDAV', async () => {
      const lisi = await davFor(f, 'lisi', 'phone');
      // 李四's own calendar, shared with 张三 as reader.
      const acl = await lisi.client.calendar.v4.calendarAcl.create({ path: { calendar_id: lisi.primary }, data: { role: 'reader', scope: { type: 'user', user_id: 'ou_zhangsan' } } }, lisi.as);
      assert.equal(acl.code, 0, acl.msg);
      const sub = await dav.client.calendar.v4.calendar.subscribe({ path: { calendar_id: lisi.primary } }, dav.as);
      assert.equal(sub.code, 0, sub.msg);
      const url = `${dav.base}calendars/${dav.user}/${encodeURIComponent(lisi.primary)}/x.ics`;
      const put = await dav.request('PUT', url, ics('ro@x', ['DTSTART:20300120T010000Z', 'DTEND:20300120T020000Z', 'SUMMARY:no']));
      assert.equal(put.status, 403);
      const props = await dav.request('PROPFIND', `${dav.base}calendars/${dav.user}/${encodeURIComponent(lisi.primary)}/`, '<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-privilege-set/></d:prop></d:propfind>', { depth: '0' });
      assert.ok(!props.text.includes('<D:write/>'), props.text);
      // Another user's collection path is refused outright.
      assert.equal((await lisi.request('PROPFIND', `${dav.base}calendars/${dav.user}/`, '', { depth: '0' })).status, 403);
    });

    test('credentials: DingTalk GenerateCaldavAccount; a new one for the same device replaces the old; revoked ones fail', async () => {
      const other = await davFor(f, 'zhangsan', 'test');
      assert.equal((await dav.request('PROPFIND', '', '', { depth: '0' })).status, 401);
      assert.equal((await other.request('PROPFIND', '', '', { depth: '0' })).status, 207);
      dav = other;
      const res = await f.client.generateCaldavAccountWithOptions('on_wangwu', new (await import('../dingtalk/calendar/fixtures.js')).$Calendar.GenerateCaldavAccountRequest({ device: 'laptop' }), f.headers('GenerateCaldavAccount'), {});
      const { username, password, serverAddress } = res.body!;
      assert.ok(username && password && serverAddress);
      const r = await fetch(serverAddress, { method: 'PROPFIND', headers: { depth: '0', authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` } });
      assert.equal(r.status, 207);
    });

    test('the secret iCalendar feed parses in ical.js and expands to the instances Feishu lists', async () => {
      const feed = await fetch(`${dav.feedUrl}${encodeURIComponent(dav.primary)}.ics`);
      assert.equal(feed.status, 200);
      assert.match(feed.headers.get('content-type') ?? '', /text\/calendar/);
      const cal = new ICAL.Component(ICAL.parse(await feed.text()) as unknown[]);
      for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
      const from = T;
      const to = T + 30 * 86400;
      const starts: number[] = [];
      const masters = cal.getAllSubcomponents('vevent').filter((v) => !v.hasProperty('recurrence-id'));
      for (const m of masters) {
        const event = new ICAL.Event(m);
        for (const o of cal.getAllSubcomponents('vevent').filter((v) => v.hasProperty('recurrence-id') && v.getFirstPropertyValue('uid') === event.uid)) event.relateException(o);
        const it = event.iterator();
        for (let next = it.next(); next && next.toUnixTime() < to; next = it.next()) {
          const d = event.getOccurrenceDetails(next);
          if (d.endDate.toUnixTime() > from) starts.push(d.startDate.toUnixTime());
        }
      }
      const view = await dav.client.calendar.v4.calendarEvent.instanceView({ path: { calendar_id: dav.primary }, params: { start_time: String(from), end_time: String(to) } }, dav.as);
      assert.equal(view.code, 0, view.msg);
      const expected = view.data!.items!.map((i) => Number(i.start_time!.timestamp)).sort();
      assert.deepEqual(starts.sort(), expected);
      assert.equal((await fetch(`${dav.feedUrl.replace(/feeds\/[^/]+/, 'feeds/nope')}${encodeURIComponent(dav.primary)}.ics`)).status, 404);
    });
  });
}

describe('sqlite: CalDAV credentials in the sandbox', () => {
  test('listed without secrets, and revoked: Basic auth and the feed stop at once', async () => {
    const f = await dingtalkFixture('sqlite');
    try {
      const dav = await davFor(f, 'lisi', 'tablet');
      const listed = await (await fetch(`${f.s.url}/rili/v1/caldav-credentials?app=cli_acme&user=lisi`)).json() as { items: Array<Record<string, unknown>> };
      assert.deepEqual(listed.items.map((c) => [c.user_name, c.device_name]), [[dav.user, 'tablet']]);
      assert.ok(!JSON.stringify(listed).includes(dav.password));
      assert.equal((await fetch(`${f.s.url}/rili/v1/caldav-credentials/${dav.user}`, { method: 'DELETE' })).status, 204);
      assert.equal((await dav.request('PROPFIND', '', '', { depth: '0' })).status, 401);
      assert.equal((await fetch(`${dav.feedUrl}${encodeURIComponent(dav.primary)}.ics`)).status, 404);
      assert.equal((await fetch(`${f.s.url}/rili/v1/caldav-credentials/${dav.user}`, { method: 'DELETE' })).status, 404);
    } finally {
      await f.close();
    }
  });
});
