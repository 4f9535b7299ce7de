import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../src/core/types.js';
import { openStore } from '../../src/store/open-store.js';
import type { OpenedStore } from '../../src/store/open-store.js';
import { freshLocation, STORES } from '../helpers/stores.js';

/**
 * `Store.read` keeps its word: every statement of one read sees one committed state, whatever
 * other requests commit while it runs.
 */

const user = (id: string, name: string): User => ({ id, tenantKey: 't', userId: id, openId: `ou_${id}`, unionId: `on_${id}`, name, email: null });

/** Lets timers, I/O and other requests run: a read that awaits a macrotask, as one waiting on anything would. */
const yieldTurns = async (turns: number) => {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
};

interface Variant {
  readonly name: string;
  /** Whether a write can commit while a read is open (a database with concurrent snapshots), or waits for the read to end. */
  readonly writesDuringRead: boolean;
  open(): Promise<{ location: string; drop: () => Promise<void> }>;
}

const variants: Variant[] = STORES.flatMap((kind): Variant[] => kind === 'postgres'
  ? [{ name: 'postgres', writesDuringRead: true, open: () => freshLocation('postgres') }]
  : [
    { name: 'sqlite file', writesDuringRead: true, open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rili-snapshot-'));
      return { location: join(dir, 'rili.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
    } },
    // One connection: a write waits for the read to end, which is a snapshot too.
    { name: 'sqlite :memory:', writesDuringRead: false, open: () => freshLocation('sqlite') },
  ]);

for (const variant of variants) {
  describe(`${variant.name}: a read sees one snapshot`, () => {
    let store: OpenedStore;
    let drop: () => Promise<void>;

    before(async () => {
      const fresh = await variant.open();
      drop = fresh.drop;
      store = await openStore(fresh.location, { poolSize: 2 });
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    test('a read that yields while another request changes two rows sees the old value of both', async () => {
      await store.transact(async (w) => {
        await w.directory.putUser(user('a', 'a before'));
        await w.directory.putUser(user('b', 'b before'));
      });
      let committed = false;
      let change: Promise<void> | undefined;
      const seen = await store.read(async (r) => {
        const first = (await r.directory.user('a'))?.name;
        change = store.transact(async (w) => {
          await w.directory.putUser(user('a', 'a after'));
          await w.directory.putUser(user('b', 'b after'));
        }).then(() => {
          committed = true;
        });
        if (variant.writesDuringRead) await change;
        else await yieldTurns(20);
        return { first, again: (await r.directory.user('a'))?.name, other: (await r.directory.user('b'))?.name };
      });
      // Where writes do not wait for reads, the change had committed before the read's last statements.
      if (variant.writesDuringRead) assert.equal(committed, true);
      assert.deepEqual(seen, { first: 'a before', again: 'a before', other: 'b before' });
      await change;
      const now = await store.read(async (r) => [(await r.directory.user('a'))?.name, (await r.directory.user('b'))?.name]);
      assert.deepEqual(now, ['a after', 'b after']);
    });

    test('a read that throws passes its error on and leaves the store serving reads and writes', async () => {
      await assert.rejects(store.read(async (r) => {
        await r.directory.user('a');
        throw new Error('the reader failed');
      }), /the reader failed/);
      await store.transact((w) => w.directory.putUser(user('c', 'c')));
      assert.equal(await store.read((r) => r.directory.user('c').then((u) => u?.name)), 'c');
    });

    test('many reads and writes at once, reads yielding mid-way, all finish and each read sees one state', async () => {
      await store.transact(async (w) => {
        await w.directory.putUser(user('x', '0'));
        await w.directory.putUser(user('y', '0'));
      });
      const writes = Array.from({ length: 10 }, (_, i) => store.transact(async (w) => {
        await w.directory.putUser(user('x', String(i + 1)));
        await w.directory.putUser(user('y', String(i + 1)));
      }));
      const reads = Array.from({ length: 10 }, () => store.read(async (r) => {
        const x = (await r.directory.user('x'))?.name;
        await yieldTurns(3);
        const y = (await r.directory.user('y'))?.name;
        return [x, y];
      }));
      await Promise.all(writes);
      for (const [x, y] of await Promise.all(reads)) assert.equal(x, y);
    });

    // One connection (:memory:): a lookup waits for the write to end, as a read does.
    test('a lookup sees committed rows only: not a write still in its transaction', { skip: !variant.writesDuringRead && 'one connection: a lookup waits for the write' }, async () => {
      await store.transact((w) => w.directory.putUser(user('l', 'l before')));
      let release!: () => void;
      const held = new Promise<void>((r) => { release = r; });
      let started!: () => void;
      const writing = new Promise<void>((r) => { started = r; });
      const change = store.transact(async (w) => {
        await w.directory.putUser(user('l', 'l after'));
        started();
        await held;
      });
      await writing;
      // Mid-transaction, the lookup (and reads and lookups run side by side) see the committed value.
      const [looked, read] = await Promise.all([
        store.lookup((r) => r.directory.user('l').then((u) => u?.name)),
        store.read((r) => r.directory.user('l').then((u) => u?.name)),
      ]).catch((error: unknown) => {
        release();
        throw error;
      });
      release();
      await change;
      assert.deepEqual([looked, read], ['l before', 'l before']);
      assert.equal(await store.lookup((r) => r.directory.user('l').then((u) => u?.name)), 'l after');
    });
  });
}
