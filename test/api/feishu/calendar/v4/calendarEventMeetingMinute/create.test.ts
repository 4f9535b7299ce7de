import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { invite, newEvent, refused, sdk, user } from '../calendarEventAttendee/attendee-fixtures.js';
import type { Sdk } from '../calendarEventAttendee/attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendarEventMeetingMinute.create`, () => {
    let s: TestServer;
    let c: lark.Client;
    let api: Sdk;
    let zhangsan: string;
    let lisi: string;
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      api = sdk(c);
      [zhangsan, lisi] = await Promise.all(['zhangsan', 'lisi'].map((u) => s.userToken(u)));
    });
    after(() => s.close());

    const create = (who: string | undefined, calendarId: string, eventId: string) =>
      c.calendar.v4.calendarEventMeetingMinute.create({ path: { calendar_id: calendarId, event_id: eventId } }, ...(who ? [lark.withUserAccessToken(who)] : []));
    const seq = () => s.server.ctx.store.read((r) => r.calendars.currentSeq());

    test('a document URL, stored on the event: the same on a second call, shown in the event\'s schemas to organizer and attendees', async () => {
      const eventId = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'can_see_others', schemas: [{ ui_name: 'MeetingMinutesIcon', ui_status: 'readonly' }] });
      await invite(api, zhangsan, 'primary', eventId, [user('ou_lisi')]);
      const res = await create(zhangsan, 'primary', eventId);
      assert.equal(res.code, 0, JSON.stringify(res));
      const url = res.data!.doc_url!;
      assert.match(url, /^https:\/\/feishu\.cn\/docx\/[0-9A-Za-z]{27}$/);
      const before = await seq();
      assert.equal((await create(zhangsan, 'primary', eventId)).data!.doc_url, url);
      assert.equal(await seq(), before);
      for (const who of [zhangsan, lisi]) {
        const schemas = (await api.getEvent(who, 'primary', eventId)).data!.event!.schemas!;
        assert.deepEqual(schemas.find((x) => x.ui_name === 'MeetingMinutesIcon'), { ui_name: 'MeetingMinutesIcon', ui_status: 'readonly', app_link: url });
      }
      // An attendee with writer rights on their own primary calendar may ask too: it is the same document.
      assert.equal((await create(lisi, 'primary', eventId)).data!.doc_url, url);
    });

    test('refusals: no attendees, attendee_ability none, a summary the platform keeps minutes from, not the caller\'s primary; nothing is written', async () => {
      const lonely = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'can_see_others' });
      const hidden = await newEvent(api, zhangsan, 'primary', { attendee_ability: 'none' });
      const review = await newEvent(api, zhangsan, 'primary', { summary: '绩效 review', attendee_ability: 'can_see_others' });
      for (const id of [hidden, review]) await invite(api, zhangsan, 'primary', id, [user('ou_lisi')]);
      const before = await seq();
      await refused(create(zhangsan, 'primary', lonely), 400, 190002, 'event_id');
      await refused(create(zhangsan, 'primary', hidden), 400, 190002, 'event_id');
      await refused(create(zhangsan, 'primary', review), 400, 190002, 'event_id');
      await refused(create(undefined, await api.primary(zhangsan), review), 403, 191002);
      await refused(create(zhangsan, 'primary', 'nope'), 400, 193000);
      assert.equal(await seq(), before);
    });
  });
}
