import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ChangeRecord } from '../../../src/core/changes.js';
import { DomainError } from '../../../src/core/errors.js';
import { CalendarService } from '../../../src/core/service/calendar-service.js';
import { DirectoryService } from '../../../src/core/service/directory-service.js';
import type { Actor } from '../../../src/core/types.js';
import { feishuIds } from '../../../src/api/feishu/platform-ids.js';
import { randomIds } from '../../../src/context.js';
import { seedFromJson } from '../../../src/seed.js';
import { openStore } from '../../../src/store/open-store.js';
import type { OpenedStore } from '../../../src/store/open-store.js';
import { TEST_SEED } from '../../helpers/seed.js';
import { TestClock } from '../../helpers/server.js';
import { freshLocation, STORES } from '../../helpers/stores.js';

/** The fields the record rules fix, for comparing. */
const shown = (r: ChangeRecord) => ({
  object: r.object, kind: r.kind, calendarId: r.calendarId, objectId: r.objectId, audience: r.audience, appId: r.appId, userId: r.userId,
});

for (const kind of STORES) {
  describe(`${kind}: calendar, ACL and subscription writes append their change records`, () => {
    let store: OpenedStore;
    let drop: () => Promise<void>;
    const clock = new TestClock(1_700_000_000_000);
    let calendars: CalendarService;
    let directory: DirectoryService;
    const ids: Record<string, string> = {};
    const user = (name: string): Actor => ({ kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: ids[name] });
    const bot: Actor = { kind: 'app', tenantKey: 'acme', appId: 'cli_acme' };

    /** Runs a write and returns the records it appended. */
    const appendedBy = async (write: () => Promise<unknown>): Promise<ChangeRecord[]> => {
      const from = await store.read((r) => r.changes.latestSeq());
      await write();
      return store.read((r) => r.changes.since(from, 100));
    };

    /** A refused write: the error it expected, no record, and the calendar's rows as they were. */
    const refusedUnchanged = async (calendarId: string, write: () => Promise<unknown>, errorKind: DomainError['kind']) => {
      const snapshot = () => store.read(async (r) => ({
        seq: await r.calendars.currentSeq(),
        latest: await r.changes.latestSeq(),
        calendar: await r.calendars.calendar(calendarId),
        acls: await r.calendars.acls(calendarId, undefined, 100),
        lisiList: await r.calendars.subscriptions(`u:${ids.lisi}`, undefined, 100),
        zhangsanList: await r.calendars.subscriptions(`u:${ids.zhangsan}`, undefined, 100),
      }));
      const before = await snapshot();
      await assert.rejects(write(), (e: unknown) => e instanceof DomainError && e.kind === errorKind);
      assert.deepEqual(await snapshot(), before);
    };

    before(async () => {
      const fresh = await freshLocation(kind);
      drop = fresh.drop;
      store = await openStore(fresh.location);
      const deps = { store, clock, ids: feishuIds(randomIds) };
      calendars = new CalendarService(deps);
      directory = new DirectoryService(deps);
      await directory.applySeed(seedFromJson(TEST_SEED));
      for (const name of ['zhangsan', 'lisi', 'wangwu', 'hank']) {
        const tenant = name === 'hank' ? 'globex' : 'acme';
        ids[name] = (await store.read((r) => r.directory.userByExternalId(tenant, 'user_id', name)))!.id;
      }
    });
    after(async () => {
      await store.close();
      await drop();
    });

    test('the seed appends a created record for every calendar it makes, with no actor; a re-seed appends none', async () => {
      const records = await store.read((r) => r.changes.since(0, 1000));
      const created = records.filter((r) => r.object === 'calendar');
      const born = await store.read(async (r) => {
        const out: Array<{ calendarId: string; owner: string }> = [];
        for (const owner of [...Object.values(ids).map((id) => `u:${id}`), 'a:cli_acme', 'a:cli_acme2', 'a:cli_globex', 'r:omm_room1', 'r:omm_room2']) {
          for (const c of await r.calendars.calendarsOwnedBy(owner)) out.push({ calendarId: c.calendarId, owner });
        }
        return out;
      });
      for (const { calendarId, owner } of born) {
        const mine = created.filter((r) => r.calendarId === calendarId);
        assert.deepEqual(mine.map((r) => [r.kind, r.objectId]), [['created', calendarId]], owner);
        assert.equal(mine[0].appId, undefined);
        assert.equal(mine[0].userId, undefined);
        assert.deepEqual(mine[0].audience, owner.startsWith('u:') ? [owner.slice(2)] : []);
        assert.equal(mine[0].at, clock.ms);
      }
      // 6 acme users and hank, 2 Feishu bots in acme and 1 in globex, 2 rooms: every calendar the seed made.
      assert.equal(created.length, 7 + 3 + 2);
      assert.equal(records.filter((r) => r.object === 'subscription').length, 7 + 3);
      assert.deepEqual(await appendedBy(() => directory.applySeed(seedFromJson(TEST_SEED))), []);
    });

    test('create, patch, subscribe, ACLs, unsubscribe and delete: each appends exactly its records', async () => {
      const zhangsan = user('zhangsan');
      let calendarId = '';
      const created = await appendedBy(async () => { calendarId = (await calendars.create(zhangsan, { summary: 'Team', permissions: 'public' })).calendar.calendarId; });
      const actorFields = { appId: 'cli_acme', userId: ids.zhangsan };
      assert.deepEqual(created.map(shown), [
        { object: 'calendar', kind: 'created', calendarId, objectId: calendarId, audience: [ids.zhangsan], ...actorFields },
        { object: 'subscription', kind: 'calendar_list_changed', calendarId, objectId: calendarId, audience: [ids.zhangsan], ...actorFields },
      ]);
      assert.equal(created[0].tenantKey, 'acme');

      const patched = await appendedBy(() => calendars.patch(zhangsan, calendarId, { summary: 'Team 2', color: 3 }));
      assert.deepEqual(patched.map((r) => [r.object, r.kind, r.calendarId]), [['calendar', 'updated', calendarId], ['subscription', 'calendar_list_changed', calendarId]]);

      const lisiFields = { appId: 'cli_acme', userId: ids.lisi };
      const subscribed = await appendedBy(() => calendars.subscribe(user('lisi'), calendarId));
      assert.deepEqual(subscribed.map(shown), [{ object: 'subscription', kind: 'calendar_list_changed', calendarId, objectId: calendarId, audience: [ids.lisi], ...lisiFields }]);
      assert.deepEqual(await appendedBy(() => calendars.subscribe(user('lisi'), calendarId)), [], 'subscribing again changes nothing');

      const alias = await appendedBy(() => calendars.patch(user('lisi'), calendarId, { summaryAlias: 'mine' }));
      assert.deepEqual(alias.map(shown), [{ object: 'subscription', kind: 'calendar_list_changed', calendarId, objectId: calendarId, audience: [ids.lisi], ...lisiFields }]);

      let aclId = '';
      const granted = await appendedBy(async () => { aclId = (await calendars.createAcl(zhangsan, calendarId, 'writer', ids.wangwu)).aclId; });
      assert.deepEqual(granted.map(shown), [{ object: 'acl', kind: 'acl_created', calendarId, objectId: aclId, audience: [ids.wangwu, ids.zhangsan].sort(), ...actorFields }]);
      assert.deepEqual(await appendedBy(() => calendars.createAcl(zhangsan, calendarId, 'writer', ids.wangwu)), [], 'the same grant again changes nothing');
      const regranted = await appendedBy(() => calendars.createAcl(zhangsan, calendarId, 'reader', ids.wangwu));
      assert.deepEqual(regranted.map((r) => [r.object, r.kind, r.objectId]), [['acl', 'acl_created', aclId]]);
      const revoked = await appendedBy(() => calendars.deleteAcl(zhangsan, calendarId, aclId));
      assert.deepEqual(revoked.map(shown), [{ object: 'acl', kind: 'acl_deleted', calendarId, objectId: aclId, audience: [ids.wangwu, ids.zhangsan].sort(), ...actorFields }]);

      const left = await appendedBy(() => calendars.unsubscribe(user('lisi'), calendarId));
      assert.deepEqual(left.map(shown), [{ object: 'subscription', kind: 'calendar_list_changed', calendarId, objectId: calendarId, audience: [ids.lisi], ...lisiFields }]);
      assert.deepEqual(await appendedBy(() => calendars.unsubscribe(user('lisi'), calendarId)), [], 'leaving again changes nothing');

      const deleted = await appendedBy(() => calendars.delete(zhangsan, calendarId));
      assert.deepEqual(deleted.map(shown), [
        { object: 'calendar', kind: 'deleted', calendarId, objectId: calendarId, audience: [ids.zhangsan], ...actorFields },
        { object: 'subscription', kind: 'calendar_list_changed', calendarId, objectId: calendarId, audience: [ids.zhangsan], ...actorFields },
      ]);
      // Per calendar, the log reads back the calendar's whole story.
      const story = await store.read((r) => r.changes.since(0, 100, calendarId));
      assert.deepEqual(story.map((r) => r.kind), [
        'created', 'calendar_list_changed', 'updated', 'calendar_list_changed', 'calendar_list_changed', 'calendar_list_changed',
        'acl_created', 'acl_created', 'acl_deleted', 'calendar_list_changed', 'deleted', 'calendar_list_changed',
      ]);
    });

    test('a bot\'s writes carry its app and no user', async () => {
      let calendarId = '';
      const created = await appendedBy(async () => { calendarId = (await calendars.create(bot, { summary: 'Bot' })).calendar.calendarId; });
      assert.deepEqual(created.map(shown), [
        { object: 'calendar', kind: 'created', calendarId, objectId: calendarId, audience: [], appId: 'cli_acme', userId: undefined },
        { object: 'subscription', kind: 'calendar_list_changed', calendarId, objectId: calendarId, audience: [], appId: 'cli_acme', userId: undefined },
      ]);
      const granted = await appendedBy(() => calendars.createAcl(bot, calendarId, 'reader', ids.lisi));
      assert.deepEqual(granted.map((r) => [r.kind, r.audience, r.userId]), [['acl_created', [ids.lisi], undefined]]);
    });

    test('refused writes append nothing and change nothing', async () => {
      const zhangsan = user('zhangsan');
      const { calendar } = await calendars.create(zhangsan, { summary: 'Private', permissions: 'private' });
      const id = calendar.calendarId;
      const acl = await calendars.createAcl(zhangsan, id, 'reader', ids.lisi);
      const zhangsanPrimary = (await calendars.primary(zhangsan)).calendar.calendarId;

      await refusedUnchanged(id, () => calendars.patch(user('lisi'), id, { summary: 'mine now', color: 1 }), 'no_calendar_access');
      await refusedUnchanged(id, () => calendars.patch(user('wangwu'), id, { color: 1 }), 'no_calendar_access');
      await refusedUnchanged(id, () => calendars.delete(user('lisi'), id), 'no_calendar_access');
      await refusedUnchanged(zhangsanPrimary, () => calendars.delete(zhangsan, zhangsanPrimary), 'invalid_calendar_type');
      await refusedUnchanged(id, () => calendars.createAcl(user('lisi'), id, 'writer', ids.wangwu), 'no_calendar_access');
      await refusedUnchanged(id, () => calendars.deleteAcl(user('lisi'), id, acl.aclId), 'no_calendar_access');
      await refusedUnchanged(id, () => calendars.deleteAcl(zhangsan, id, 'user_nope'), 'acl_not_found');
      await refusedUnchanged(id, () => calendars.subscribe(user('wangwu'), id), 'no_calendar_access');
      await refusedUnchanged(id, () => calendars.subscribe({ kind: 'user', tenantKey: 'globex', appId: 'cli_globex', userId: ids.hank }, id), 'calendar_not_found');
      await refusedUnchanged(zhangsanPrimary, () => calendars.unsubscribe(zhangsan, 'primary'), 'invalid_calendar_type');
      await refusedUnchanged(id, () => calendars.unsubscribe({ kind: 'user', tenantKey: 'globex', appId: 'cli_globex', userId: ids.hank }, id), 'calendar_not_found');
      await calendars.delete(zhangsan, id);
      await refusedUnchanged(id, () => calendars.patch(zhangsan, id, { summary: 'again' }), 'calendar_deleted');
      await refusedUnchanged(id, () => calendars.createAcl(zhangsan, id, 'writer', ids.wangwu), 'calendar_deleted');
    });
  });
}
