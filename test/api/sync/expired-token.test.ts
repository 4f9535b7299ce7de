// A sync token older than the kept change log: both dialects answer "expired", and the client,
// listing afresh, gets a token that works.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../helpers/server.js';
import type { TestServer } from '../../helpers/server.js';
import { STORES } from '../../helpers/stores.js';
import { dingtalk, dingtalkAppToken, feishu, sandboxToken } from '../../reliability/lib/http.js';

for (const kind of STORES) {
  describe(`${kind}: a sync token behind the pruned change log`, () => {
    let s: TestServer;
    before(async () => {
      s = await startServer(kind);
    });
    after(() => s.close());

    /** Moves the log on past `seq` and prunes it, so a token at `seq` has lost records. */
    async function pruneBeyond(seq: number) {
      const draft = { tenantKey: 'acme', calendarId: 'elsewhere', object: 'calendar' as const, objectId: 'elsewhere', kind: 'updated' as const, audience: [] };
      await s.server.ctx.store.transact((w) => w.changes.append([draft, draft], Date.now()));
      await s.server.ctx.store.transact((w) => w.changes.prune({ keep: 1 }));
      assert.ok((await s.server.ctx.store.read((r) => r.changes.prunedThrough())) > seq);
    }
    const seqOf = (token: string) => JSON.parse(Buffer.from(token, 'base64url').toString()).p as number;

    test('Feishu: events and calendar list answer 190008; a fresh listing\'s token syncs', async () => {
      const caller = { base: s.url, token: await sandboxToken(s.url, 'cli_acme', 'zhangsan') };
      const events = async (query: string) => feishu(caller, 'GET', `/calendar/v4/calendars/${encodeURIComponent(calendarId)}/events?${query}`);
      const primary = await feishu(caller, 'POST', '/calendar/v4/calendars/primary');
      const calendarId = primary.json.data.calendars[0].calendar.calendar_id as string;
      const eventToken = (await events('page_size=50')).json.data.sync_token as string;
      const listToken = (await feishu(caller, 'GET', '/calendar/v4/calendars')).json.data.sync_token as string;
      await pruneBeyond(Math.max(seqOf(eventToken), seqOf(listToken)));

      for (const answer of [await events(`sync_token=${eventToken}`), await feishu(caller, 'GET', `/calendar/v4/calendars?sync_token=${listToken}`)]) {
        assert.deepEqual([answer.status, answer.json.code], [400, 190008], answer.text);
      }
      const fresh = (await events('page_size=50')).json.data.sync_token as string;
      const synced = await events(`sync_token=${fresh}`);
      assert.deepEqual([synced.json.code, synced.json.data.items ?? []], [0, []]);
    });

    test('DingTalk: ListEvents answers invalidParameter (400)', async () => {
      const token = await dingtalkAppToken(s.url, 'dingacme', 'acme-secret');
      const list = (query: string) => dingtalk(s.url, token, 'GET', `/calendar/users/on_zhouba/calendars/primary/events?${query}`);
      const syncToken = (await list('maxResults=100')).json.syncToken as string;
      await pruneBeyond(seqOf(syncToken));
      const answer = await list(`syncToken=${syncToken}`);
      assert.deepEqual([answer.status, answer.json.code], [400, 'invalidParameter'], answer.text);
      const fresh = (await list('maxResults=100')).json.syncToken as string;
      assert.deepEqual((await list(`syncToken=${fresh}`)).json.events, []);
    });
  });
}
