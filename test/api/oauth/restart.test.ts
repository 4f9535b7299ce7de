import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES, freshLocation } from '../../helpers/stores.js';
import { feishuFailure, startServer } from '../../helpers/server.js';
import { signIn, v2Token } from '../feishu/authen/sign-in-helpers.js';

/** A database that outlives one server: an SQLite file, or a PostgreSQL schema. */
async function durableLocation(kind: 'sqlite' | 'postgres'): Promise<{ location: string; drop(): Promise<void> }> {
  if (kind === 'postgres') return freshLocation(kind);
  const dir = mkdtempSync(join(tmpdir(), 'rili-oauth-'));
  return { location: join(dir, 'rili.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

for (const kind of STORES) {
  describe(`${kind}: sign-in state survives a restart`, () => {
    test('a refresh token and an unused code issued before a restart work after it; a spent one still fails', async () => {
      const db = await durableLocation(kind);
      try {
        const a = await startServer(kind, { location: db.location });
        let issued: any;
        let pendingCode: string;
        try {
          issued = (await v2Token(a, { grant_type: 'authorization_code', code: await signIn(a, { user: 'sunqi', scope: 'calendar:calendar offline_access' }) })).body;
          pendingCode = await signIn(a, { user: 'zhouba' });
        } finally {
          await a.close();
        }
        const b = await startServer(kind, { location: db.location });
        try {
          const primary = await b.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(issued.access_token));
          assert.equal(primary.data!.calendars![0].calendar!.summary, '孙七');
          const refreshed = await v2Token(b, { grant_type: 'refresh_token', refresh_token: issued.refresh_token });
          assert.equal(refreshed.body.code, 0);
          assert.equal((await v2Token(b, { grant_type: 'refresh_token', refresh_token: issued.refresh_token })).body.code, 20026);
          assert.equal((await v2Token(b, { grant_type: 'authorization_code', code: pendingCode })).body.code, 0);
        } finally {
          await b.close();
        }
      } finally {
        await db.drop();
      }
    });

    test('two servers on one database (as `--workers` runs): a code or refresh token spent on one is spent on the other', async () => {
      const db = await durableLocation(kind);
      try {
        const a = await startServer(kind, { location: db.location });
        const b = await startServer(kind, { location: db.location, seed: false });
        try {
          const code = await signIn(a, { scope: 'offline_access calendar:calendar' });
          const issued = await v2Token(b, { grant_type: 'authorization_code', code });
          assert.equal(issued.body.code, 0);
          assert.equal((await v2Token(a, { grant_type: 'authorization_code', code })).body.code, 20065);
          // The reuse on a revoked what b issued: b sees it at once.
          assert.equal((await feishuFailure(b.lark().calendar.v4.calendar.primary({}, lark.withUserAccessToken(issued.body.access_token)))).code, 99991668);
          const fresh = (await v2Token(a, { grant_type: 'authorization_code', code: await signIn(b, { scope: 'offline_access' }) })).body;
          assert.equal((await v2Token(b, { grant_type: 'refresh_token', refresh_token: fresh.refresh_token })).body.code, 0);
          assert.equal((await v2Token(a, { grant_type: 'refresh_token', refresh_token: fresh.refresh_token })).body.code, 20026);
        } finally {
          await b.close();
          await a.close();
        }
      } finally {
        await db.drop();
      }
    });
  });
}
