import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';
import { refused } from '../calendarEventAttendee/attendee-fixtures.js';

for (const kind of STORES) {
  describe(`${kind}: calendar.v4.exchangeBinding`, () => {
    let s: TestServer;
    let c: lark.Client;
    let zhangsan: string;
    let globexUser: string;
    before(async () => {
      s = await startServer(kind);
      c = s.lark();
      zhangsan = await s.userToken('zhangsan');
      globexUser = await s.userToken('hank', 'cli_globex');
    });
    after(() => s.close());

    const as = (who: string) => lark.withUserAccessToken(who);
    const bind = (data: Record<string, unknown>, who: string | null = zhangsan) =>
      c.calendar.v4.exchangeBinding.create({ params: { user_id_type: 'user_id' }, data }, ...(who !== null ? [as(who)] : []));
    const get = (id: string, who: string | null = zhangsan) =>
      c.calendar.v4.exchangeBinding.get({ path: { exchange_binding_id: id }, params: { user_id_type: 'user_id' } }, ...(who !== null ? [as(who)] : []));
    const unbind = (id: string, who: string | null = zhangsan) =>
      c.calendar.v4.exchangeBinding.delete({ path: { exchange_binding_id: id } }, ...(who !== null ? [as(who)] : []));
    const seq = () => s.server.ctx.store.read((r) => r.calendars.currentSeq());

    test('bind, read its status, unbind; the account may then be bound to another user', async () => {
      const res = await bind({ admin_account: 'admin@corp.example', exchange_account: 'lisi@corp.example', user_id: 'lisi' });
      assert.equal(res.code, 0, JSON.stringify(res));
      const id = res.data!.exchange_binding_id;
      assert.deepEqual(res.data, { admin_account: 'admin@corp.example', exchange_account: 'lisi@corp.example', user_id: 'lisi', status: 'doing', exchange_binding_id: id });
      assert.equal(Buffer.from(id, 'base64url').toString(), 'admin@corp.example lisi@corp.example');
      assert.deepEqual((await get(id)).data, { admin_account: 'admin@corp.example', exchange_account: 'lisi@corp.example', user_id: 'lisi', status: 'done', exchange_binding_id: id });
      // The same binding again is the binding in force; to another user it is refused until unbound.
      const before = await seq();
      assert.equal((await bind({ admin_account: 'admin@corp.example', exchange_account: 'LISI@corp.example', user_id: 'lisi' })).data!.exchange_binding_id, id);
      await refused(bind({ admin_account: 'admin@corp.example', exchange_account: 'lisi@corp.example', user_id: 'wangwu' }), 400, 190002, 'exchange_account');
      assert.equal(await seq(), before);
      assert.equal((await unbind(id)).code, 0);
      await refused(get(id), 400, 190002, 'exchange_binding_id');
      await refused(unbind(id), 400, 190002, 'exchange_binding_id');
      const rebound = await bind({ admin_account: 'admin@corp.example', exchange_account: 'lisi@corp.example', user_id: 'wangwu' });
      assert.equal(rebound.data!.user_id, 'wangwu');
    });

    test('an admin account of another domain cannot import the mailbox: status err', async () => {
      const res = await bind({ admin_account: 'admin@other.example', exchange_account: 'wangwu@corp.example', user_id: 'zhaoliu' });
      assert.equal(res.code, 0);
      assert.equal((await get(res.data!.exchange_binding_id)).data!.status, 'err');
    });

    test('refusals: a tenant token, bad accounts, unknown users, another tenant\'s binding; nothing is written', async () => {
      const ok = { admin_account: 'admin@corp.example', exchange_account: 'zhangsan@corp.example', user_id: 'zhangsan' };
      const before = await seq();
      await refused(bind(ok, null), 400, 99991668);
      await refused(bind({ ...ok, admin_account: 'admin' }), 400, 190002, 'admin_account');
      await refused(bind({ ...ok, exchange_account: 'not an email' }), 400, 190002, 'exchange_account');
      await refused(bind({ ...ok, user_id: 'nobody' }), 404, 195100, 'user_id');
      await refused(bind({ admin_account: 'admin@corp.example', user_id: 'zhangsan' }), 400, 190002, 'exchange_account');
      assert.equal(await seq(), before);
      const id = (await bind(ok)).data!.exchange_binding_id;
      await refused(get(id, null), 400, 99991668);
      await refused(unbind(id, null), 400, 99991668);
      await refused(get(id, globexUser), 400, 190002, 'exchange_binding_id');
      assert.equal((await get(id)).data!.user_id, 'zhangsan');
    });
  });
}
