// `rili export FILE` and `rili import FILE`: a database's state into a file and into another database.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { migrationProvider } from '../../../src/store/migrations/index.js';
import { openStore } from '../../../src/store/open-store.js';
import { startServer } from '../../helpers/server.js';
import { freshLocation, STORES } from '../../helpers/stores.js';

const BIN = new URL('../../../bin/rili.js', import.meta.url).pathname;
const rili = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

for (const kind of STORES) {
  describe(`${kind}: rili export and rili import`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rili-export-'));
    const drops: (() => Promise<void>)[] = [];
    after(async () => {
      for (const drop of drops) await drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const location = async (name: string) => {
      if (kind === 'sqlite') return join(dir, `${name}.db`);
      const fresh = await freshLocation(kind);
      drops.push(fresh.drop);
      return fresh.location;
    };

    test('export writes a versioned document; import into a fresh database gives the same state', async () => {
      const from = await location('from');
      const s = await startServer(kind, { location: from });
      try {
        const client = s.lark();
        const start = Math.floor(Date.now() / 1000) + 3600;
        const created = await client.calendar.v4.calendarEvent.create({
          path: { calendar_id: 'primary' }, data: { summary: 'carried over', start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 3600) } },
        }, lark.withUserAccessToken(await s.userToken('zhangsan')));
        assert.equal(created.code, 0, created.msg);
      } finally {
        await s.close();
      }
      const file = join(dir, 'state.json');
      const exported = rili('export', file, '--db', from);
      assert.equal(exported.status, 0, exported.stderr);
      const document = JSON.parse(readFileSync(file, 'utf8'));
      assert.deepEqual([document.format, document.version, document.migration], ['rili-snapshot', 1, Object.keys(await migrationProvider({}).getMigrations()).sort().at(-1)]);
      assert.ok(document.tables.events.some((e: { summary: string }) => e.summary === 'carried over'));

      const to = await location('to');
      const imported = rili('import', file, '--db', to);
      assert.equal(imported.status, 0, imported.stderr);
      assert.match(imported.stderr, /sync tokens from before answer expired/);
      const [a, b] = [await openStore(from), await openStore(to)];
      try {
        assert.deepEqual((await b.read((r) => r.snapshots.dump())).tables, (await a.read((r) => r.snapshots.dump())).tables);
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('a file that is not a snapshot is refused with one line, and the database is untouched', async () => {
      const file = join(dir, 'junk.json');
      const to = await location('junk');
      writeFileSync(file, '{"tenants": []}');
      const out = rili('import', file, '--db', to);
      assert.equal(out.status, 1);
      assert.match(out.stderr, /^rili: .*not a rili snapshot/);
      assert.match(rili('import', '--db', to).stderr, /usage: rili import FILE/);
    });
  });
}
