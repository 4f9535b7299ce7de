import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

const CALENDAR_ID = /^feishu\.cn_[A-Za-z0-9]{22}@group\.calendar\.feishu\.cn$/;

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.calendar`, () => {
    let s: TestServer;
    let bot: lark.Client;
    let zhangsan: string;
    let lisi: string;
    before(async () => {
      s = await startServer(kind);
      bot = s.lark();
      zhangsan = await s.userToken('zhangsan');
      lisi = await s.userToken('lisi');
    });
    after(() => s.close());

    test('primary: a user gets their own primary calendar, with user_id in user_id_type', async () => {
      const res = await bot.calendar.v4.calendar.primary({ params: { user_id_type: 'union_id' } }, lark.withUserAccessToken(zhangsan));
      assert.equal(res.code, 0);
      const [entry] = res.data!.calendars!;
      assert.equal(entry.user_id, 'on_zhangsan');
      assert.match(entry.calendar!.calendar_id, CALENDAR_ID);
      assert.equal(entry.calendar!.type, 'primary');
      assert.equal(entry.calendar!.role, 'owner');
      assert.equal(entry.calendar!.summary, '张三');
    });

    test('primary: a tenant token gets the bot\'s own calendar', async () => {
      const res = await bot.calendar.v4.calendar.primary({});
      const cal = res.data!.calendars![0].calendar!;
      assert.equal(cal.type, 'primary');
      assert.equal(cal.summary, 'Acme Bot');
      assert.equal(cal.role, 'owner');
      const user = await bot.calendar.v4.calendar.primary({}, lark.withUserAccessToken(zhangsan));
      assert.notEqual(user.data!.calendars![0].calendar!.calendar_id, cal.calendar_id);
    });

    test('create, get (data is the calendar), patch, delete a shared calendar', async () => {
      const created = await bot.calendar.v4.calendar.create(
        { data: { summary: '团队日历', description: 'shared', permissions: 'public', color: -1, summary_alias: 'team' } },
        lark.withUserAccessToken(zhangsan),
      );
      assert.equal(created.code, 0);
      const cal = created.data!.calendar!;
      assert.match(cal.calendar_id, CALENDAR_ID);
      assert.deepEqual(
        { summary: cal.summary, description: cal.description, permissions: cal.permissions, type: cal.type, role: cal.role, color: cal.color, alias: cal.summary_alias },
        { summary: '团队日历', description: 'shared', permissions: 'public', type: 'shared', role: 'owner', color: -1, alias: 'team' },
      );
      const got = await bot.calendar.v4.calendar.get({ path: { calendar_id: cal.calendar_id } }, lark.withUserAccessToken(zhangsan));
      assert.equal(got.code, 0);
      assert.equal((got.data as any).calendar_id, cal.calendar_id);
      assert.equal((got.data as any).summary, '团队日历');
      assert.equal((got.data as any).calendar, undefined);

      // A colleague sees a public calendar as reader, not owner.
      const asLisi = await bot.calendar.v4.calendar.get({ path: { calendar_id: cal.calendar_id } }, lark.withUserAccessToken(lisi));
      assert.equal((asLisi.data as any).role, 'reader');

      const patched = await bot.calendar.v4.calendar.patch(
        { path: { calendar_id: cal.calendar_id }, data: { summary: '新名字', permissions: 'private' } },
        lark.withUserAccessToken(zhangsan),
      );
      assert.equal(patched.data!.calendar!.summary, '新名字');
      assert.equal(patched.data!.calendar!.description, 'shared');
      assert.equal(patched.data!.calendar!.permissions, 'private');

      // Private now: lisi has no access at all.
      const denied = await feishuFailure(bot.calendar.v4.calendar.get({ path: { calendar_id: cal.calendar_id } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([denied.status, denied.code], [403, 191002]);
      // Only the owner may rename it.
      const notOwner = await feishuFailure(bot.calendar.v4.calendar.patch(
        { path: { calendar_id: cal.calendar_id }, data: { summary: 'x' } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([notOwner.status, notOwner.code], [403, 191002]);

      const deleted = await bot.calendar.v4.calendar.delete({ path: { calendar_id: cal.calendar_id } }, lark.withUserAccessToken(zhangsan));
      assert.equal(deleted.code, 0);
      const gone = await feishuFailure(bot.calendar.v4.calendar.get({ path: { calendar_id: cal.calendar_id } }, lark.withUserAccessToken(zhangsan)));
      assert.deepEqual([gone.status, gone.code], [403, 191003]);
    });

    test('delete: a primary calendar is refused with 191004, a non-owner with 191002', async () => {
      const res = await feishuFailure(bot.calendar.v4.calendar.delete({ path: { calendar_id: 'primary' } }, lark.withUserAccessToken(zhangsan)));
      assert.deepEqual([res.status, res.code], [403, 191004]);
      const shared = await bot.calendar.v4.calendar.create({ data: { summary: 'mine', permissions: 'public' } }, lark.withUserAccessToken(zhangsan));
      const other = await feishuFailure(bot.calendar.v4.calendar.delete({ path: { calendar_id: shared.data!.calendar!.calendar_id } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([other.status, other.code], [403, 191002]);
    });

    test('get: `primary` works on the path; unknown ids give 191000, malformed ones 191001', async () => {
      const res = await bot.calendar.v4.calendar.get({ path: { calendar_id: 'primary' } }, lark.withUserAccessToken(lisi));
      assert.equal((res.data as any).summary, '李四');
      const missing = await feishuFailure(bot.calendar.v4.calendar.get({ path: { calendar_id: 'feishu.cn_nope@group.calendar.feishu.cn' } }));
      assert.deepEqual([missing.status, missing.code], [404, 191000]);
      const malformed = await feishuFailure(bot.calendar.v4.calendar.get({ path: { calendar_id: 'not a calendar' } }));
      assert.deepEqual([malformed.status, malformed.code], [400, 191001]);
    });

    test('get: another tenant\'s calendar does not exist for the caller', async () => {
      const globex = s.lark('cli_globex');
      const theirs = await globex.calendar.v4.calendar.primary({});
      const id = theirs.data!.calendars![0].calendar!.calendar_id;
      const res = await feishuFailure(bot.calendar.v4.calendar.get({ path: { calendar_id: id } }));
      assert.deepEqual([res.status, res.code], [404, 191000]);
    });

    test('primarys: primary calendars of several users, by user_id_type', async () => {
      const res = await bot.calendar.v4.calendar.primarys({ params: { user_id_type: 'user_id' }, data: { user_ids: ['lisi', 'wangwu'] } });
      assert.equal(res.code, 0);
      const cals = res.data!.calendars!;
      assert.deepEqual(cals.map((c) => c.user_id), ['lisi', 'wangwu']);
      assert.deepEqual(cals.map((c) => c.calendar!.summary), ['李四', '王五']);
      // The bot sees a colleague's primary calendar as free/busy only (its default permissions).
      assert.deepEqual(cals.map((c) => c.calendar!.role), ['free_busy_reader', 'free_busy_reader']);
      const unknown = await feishuFailure(bot.calendar.v4.calendar.primarys({ data: { user_ids: ['ou_nobody'] } }));
      assert.deepEqual([unknown.status, unknown.code], [404, 195100]);
    });

    test('mget: returns the calendars the caller may see, leaving out others', async () => {
      const own = await bot.calendar.v4.calendar.primary({}, lark.withUserAccessToken(zhangsan));
      const ownId = own.data!.calendars![0].calendar!.calendar_id;
      const priv = await bot.calendar.v4.calendar.create({ data: { summary: 'private one', permissions: 'private' } }, lark.withUserAccessToken(lisi));
      const res = await bot.calendar.v4.calendar.mget(
        { data: { calendar_ids: [ownId, priv.data!.calendar!.calendar_id, 'feishu.cn_missing@group.calendar.feishu.cn'] } },
        lark.withUserAccessToken(zhangsan),
      );
      assert.deepEqual(res.data!.calendars!.map((c) => c.calendar_id), [ownId]);
    });

    test('list: pages with page_token, then hands a sync_token that returns later changes', async () => {
      const token = await s.userToken('wangwu');
      const ids: string[] = [];
      for (let i = 0; i < 55; i++) {
        const c = await bot.calendar.v4.calendar.create({ data: { summary: `cal ${i}` } }, lark.withUserAccessToken(token));
        ids.push(c.data!.calendar!.calendar_id);
      }
      const first = await bot.calendar.v4.calendar.list({ params: { page_size: 50 } }, lark.withUserAccessToken(token));
      assert.equal(first.data!.has_more, true);
      assert.equal(first.data!.calendar_list!.length, 50);
      assert.ok(first.data!.page_token);
      assert.equal(first.data!.sync_token, undefined);
      const second = await bot.calendar.v4.calendar.list({ params: { page_size: 50, page_token: first.data!.page_token } }, lark.withUserAccessToken(token));
      assert.equal(second.data!.has_more, false);
      assert.equal('page_token' in second.data!, false, 'the last page carries no page_token at all');
      assert.ok(second.data!.sync_token);
      const all = [...first.data!.calendar_list!, ...second.data!.calendar_list!].map((c) => c.calendar_id);
      assert.equal(all.length, 56); // 55 shared + the primary
      assert.deepEqual(new Set(ids.filter((id) => !all.includes(id))), new Set());

      // Nothing changed yet: the sync is empty.
      const none = await bot.calendar.v4.calendar.list({ params: { sync_token: second.data!.sync_token } }, lark.withUserAccessToken(token));
      assert.deepEqual(none.data!.calendar_list, []);
      await bot.calendar.v4.calendar.patch({ path: { calendar_id: ids[3] }, data: { summary: 'renamed' } }, lark.withUserAccessToken(token));
      await bot.calendar.v4.calendar.delete({ path: { calendar_id: ids[4] } }, lark.withUserAccessToken(token));
      const changes = await bot.calendar.v4.calendar.list({ params: { sync_token: second.data!.sync_token } }, lark.withUserAccessToken(token));
      const changed = changes.data!.calendar_list!;
      assert.deepEqual(changed.map((c) => c.calendar_id).sort(), [ids[3], ids[4]].sort());
      assert.equal(changed.find((c) => c.calendar_id === ids[3])!.summary, 'renamed');
      assert.equal(changed.find((c) => c.calendar_id === ids[4])!.is_deleted, true);
      assert.ok(changes.data!.sync_token);
      assert.notEqual(changes.data!.sync_token, second.data!.sync_token);
    });

    test('list: a bad sync_token is 190008, sync_token with page_token 190009, page_size over 1000 190002', async () => {
      const bad = await feishuFailure(bot.calendar.v4.calendar.list({ params: { sync_token: 'garbage' } }));
      assert.deepEqual([bad.status, bad.code], [400, 190008]);
      const first = await bot.calendar.v4.calendar.list({});
      const conflict = await feishuFailure(bot.calendar.v4.calendar.list({ params: { sync_token: first.data!.sync_token, page_token: 'x' } }));
      assert.deepEqual([conflict.status, conflict.code], [400, 190009]);
      const big = await feishuFailure(bot.calendar.v4.calendar.list({ params: { page_size: 1001 } }));
      assert.deepEqual([big.status, big.code], [400, 190002]);
      assert.match(big.msg, /page_size/);
    });

    test('subscribe and unsubscribe change the caller\'s list; a private calendar refuses', async () => {
      const pub = await bot.calendar.v4.calendar.create({ data: { summary: 'Public events', permissions: 'public' } }, lark.withUserAccessToken(zhangsan));
      const id = pub.data!.calendar!.calendar_id;
      const inList = async () => {
        const res = await bot.calendar.v4.calendar.list({ params: { page_size: 1000 } }, lark.withUserAccessToken(lisi));
        return res.data!.calendar_list!.some((c) => c.calendar_id === id);
      };
      assert.equal(await inList(), false);
      const sub = await bot.calendar.v4.calendar.subscribe({ path: { calendar_id: id } }, lark.withUserAccessToken(lisi));
      assert.equal(sub.data!.calendar!.calendar_id, id);
      assert.equal(sub.data!.calendar!.role, 'reader');
      assert.equal(await inList(), true);
      const unsub = await bot.calendar.v4.calendar.unsubscribe({ path: { calendar_id: id } }, lark.withUserAccessToken(lisi));
      assert.equal(unsub.code, 0);
      assert.equal(await inList(), false);
      const priv = await bot.calendar.v4.calendar.create({ data: { summary: 'Secret', permissions: 'private' } }, lark.withUserAccessToken(zhangsan));
      const refused = await feishuFailure(bot.calendar.v4.calendar.subscribe({ path: { calendar_id: priv.data!.calendar!.calendar_id } }, lark.withUserAccessToken(lisi)));
      assert.deepEqual([refused.status, refused.code], [403, 191002]);
    });

    test('after an ACL is deleted the calendar leaves the list, or shows only what the access left allows (list, sync, get, mget, search)', async () => {
      const sunqi = await s.userToken('sunqi');
      const as = (t: string) => lark.withUserAccessToken(t);
      const grant = async (permissions: 'private' | 'show_only_free_busy') => {
        const cal = await bot.calendar.v4.calendar.create({ data: { summary: `Granted ${permissions}`, description: 'shared for a while', permissions } }, as(zhangsan));
        const id = cal.data!.calendar!.calendar_id;
        const acl = await bot.calendar.v4.calendarAcl.create({ path: { calendar_id: id }, params: { user_id_type: 'user_id' }, data: { role: 'reader', scope: { type: 'user', user_id: 'sunqi' } } }, as(zhangsan));
        assert.equal((await bot.calendar.v4.calendar.subscribe({ path: { calendar_id: id } }, as(sunqi))).data!.calendar!.role, 'reader');
        return { id, aclId: acl.data!.acl_id };
      };
      const priv = await grant('private');
      const fb = await grant('show_only_free_busy');
      const listed = async () => (await bot.calendar.v4.calendar.list({ params: { page_size: 1000 } }, as(sunqi))).data!;
      const before = await listed();
      assert.deepEqual(before.calendar_list!.filter((c) => c.calendar_id === priv.id).map((c) => [c.summary, c.role]), [['Granted private', 'reader']]);
      for (const { id, aclId } of [priv, fb]) {
        assert.equal((await bot.calendar.v4.calendarAcl.delete({ path: { calendar_id: id, acl_id: aclId } }, as(zhangsan))).code, 0);
        // What the owner writes after the ACL went is no business of the former reader.
        await bot.calendar.v4.calendar.patch({ path: { calendar_id: id }, data: { summary: 'REVOKED summary', description: 'REVOKED description' } }, as(zhangsan));
      }
      const got = await feishuFailure(bot.calendar.v4.calendar.get({ path: { calendar_id: priv.id } }, as(sunqi)));
      assert.deepEqual([got.status, got.code], [403, 191002]);

      // The page list: the private calendar is gone; the free/busy one stays, as get shows it.
      const after = await listed();
      assert.deepEqual(after.calendar_list!.filter((c) => c.calendar_id === priv.id), []);
      const fbEntry = after.calendar_list!.find((c) => c.calendar_id === fb.id)!;
      assert.deepEqual([fbEntry.role, fbEntry.summary], ['free_busy_reader', 'REVOKED summary']);
      const fbGot = await bot.calendar.v4.calendar.get({ path: { calendar_id: fb.id } }, as(sunqi));
      assert.deepEqual([(fbGot.data as any).role, (fbGot.data as any).summary], ['free_busy_reader', 'REVOKED summary']);

      // Sync: the private calendar reports as removed, with nothing of what it holds now.
      const sync = await bot.calendar.v4.calendar.list({ params: { sync_token: before.sync_token } }, as(sunqi));
      const privSync = sync.data!.calendar_list!.find((c) => c.calendar_id === priv.id)!;
      assert.deepEqual([privSync.is_deleted, privSync.summary, privSync.description, privSync.role], [true, '', '', 'unknown']);
      assert.equal(sync.data!.calendar_list!.find((c) => c.calendar_id === fb.id)!.role, 'free_busy_reader');

      // Every other path that shows a calendar agrees.
      const mget = await bot.calendar.v4.calendar.mget({ data: { calendar_ids: [priv.id, fb.id] } }, as(sunqi));
      assert.deepEqual((mget.data as any).calendars.map((c: any) => c.calendar_id), [fb.id]);
      const found = await bot.calendar.v4.calendar.search({ data: { query: 'REVOKED' } }, as(sunqi));
      assert.deepEqual(found.data!.items!.map((c) => c.calendar_id), [fb.id]);
      const others = (list: typeof after.calendar_list) => JSON.stringify(list!.filter((c) => c.calendar_id !== fb.id));
      assert.equal(others(after.calendar_list).includes('REVOKED'), false);
      assert.equal(others(sync.data!.calendar_list).includes('REVOKED'), false);
    });

    test('search: has_more counts only calendars the caller may see', async () => {
      const as = lark.withUserAccessToken;
      const visible: string[] = [];
      for (let i = 0; i < 10; i++) {
        visible.push((await bot.calendar.v4.calendar.create({ data: { summary: `Needle visible ${i}`, permissions: 'public' } }, as(zhangsan))).data!.calendar!.calendar_id);
      }
      // A private match sorting after every visible one (ids are random: make one until it does).
      const last = [...visible].sort().pop()!;
      let hidden = '';
      for (let i = 0; i < 500 && !(hidden > last); i++) {
        hidden = (await bot.calendar.v4.calendar.create({ data: { summary: 'Needle hidden', permissions: 'private' } }, as(zhangsan))).data!.calendar!.calendar_id!;
      }
      assert.ok(hidden > last);
      const page = await bot.calendar.v4.calendar.search({ params: { page_size: 10 }, data: { query: 'Needle' } }, as(lisi));
      assert.deepEqual(page.data!.items!.map((c) => c.calendar_id).sort(), [...visible].sort());
      assert.equal((page.data as { has_more?: boolean }).has_more, false);
      assert.equal('page_token' in page.data!, false);
    });

    test('search: finds calendars by summary, pages with has_more, omits page_token on the last page', async () => {
      const token = await s.userToken('zhaoliu');
      for (let i = 0; i < 12; i++) {
        await bot.calendar.v4.calendar.create({ data: { summary: `Searchable 周会 ${i}`, permissions: 'public' } }, lark.withUserAccessToken(token));
      }
      const seen: string[] = [];
      for await (const page of await bot.calendar.v4.calendar.searchWithIterator({ params: { page_size: 10 }, data: { query: '周会' } }, lark.withUserAccessToken(token))) {
        for (const item of page?.items ?? []) seen.push(item.summary!);
      }
      assert.equal(seen.length, 12);
      assert.ok(seen.every((x) => x.includes('周会')));
      const upper = await bot.calendar.v4.calendar.search({ data: { query: 'SEARCHABLE' } }, lark.withUserAccessToken(token));
      assert.equal(upper.data!.items!.length, 12);
      assert.equal('page_token' in upper.data!, false);
    });

    test('search folds case in any script (Latin with diacritics, Cyrillic, Greek), keeping LIKE\'s metacharacters literal', async () => {
      const token = await s.userToken('zhaoliu');
      for (const summary of ['Ärzte ÖFFNUNGSZEITEN', 'ПЛАНЁРКА отдела', 'Ομάδα ΣΧΕΔΙΑΣΜΟΥ', 'Quota_50%']) {
        await bot.calendar.v4.calendar.create({ data: { summary, permissions: 'public' } }, lark.withUserAccessToken(token));
      }
      const found = async (query: string) =>
        ((await bot.calendar.v4.calendar.search({ data: { query } }, lark.withUserAccessToken(token))).data!.items ?? []).map((c) => c.summary).sort();
      assert.deepEqual(await found('ärzte öffnungszeiten'), ['Ärzte ÖFFNUNGSZEITEN']);
      assert.deepEqual(await found('планёрка ОТДЕЛА'), ['ПЛАНЁРКА отдела']);
      assert.deepEqual(await found('σχεδιασμου'), ['Ομάδα ΣΧΕΔΙΑΣΜΟΥ']);
      assert.deepEqual(await found('ΟΜΆΔΑ'), ['Ομάδα ΣΧΕΔΙΑΣΜΟΥ']);
      assert.deepEqual(await found('QUOTA_50%'), ['Quota_50%']);
      assert.deepEqual(await found('quota_5%'), []);
      assert.deepEqual(await found('quot__50'), []);
    });
  });
}
