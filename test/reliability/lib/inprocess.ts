import type { RandomSource } from '../../../src/core/ports.js';
import { seedFromJson } from '../../../src/seed.js';
import { buildServer } from '../../../src/server.js';
import type { Server } from '../../../src/server.js';
import { openStore } from '../../../src/store/open-store.js';
import type { OpenedStore } from '../../../src/store/open-store.js';
import { TestClock, TEST_SECRET } from '../../helpers/server.js';
import { TEST_SEED } from '../../helpers/seed.js';
import { prng } from './size.js';

const ALPHANUMERIC = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ids that come out the same on every run: two runs of the same requests store the same rows. */
export function countingIds(): RandomSource {
  let n = 0;
  const r = prng(7);
  return {
    uuid: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`,
    random: (length) => Array.from({ length }, () => ALPHANUMERIC[r.int(62)]).join(''),
  };
}

/**
 * Stands between the server and its store: counts write transactions while armed and, past a limit,
 * never starts the next one. A request stuck there is, to the database, a process that died right
 * after its last commit: nothing after it runs, no cleanup, no compensation.
 */
export class TransactionGate {
  private armed = false;
  private limit = Infinity;
  count = 0;
  private stuck?: () => void;
  /** Resolves when a transaction was held back. */
  held: Promise<void> = new Promise(() => {});

  arm(limit = Infinity): void {
    this.armed = true;
    this.limit = limit;
    this.count = 0;
    this.held = new Promise((resolve) => {
      this.stuck = resolve;
    });
  }

  disarm(): void {
    this.armed = false;
  }

  wrap(store: OpenedStore): OpenedStore {
    return {
      ...store,
      transact: <T>(fn: Parameters<OpenedStore['transact']>[0]) => {
        if (this.armed) {
          if (this.count >= this.limit) {
            this.stuck?.();
            return new Promise<T>(() => {});
          }
          this.count++;
        }
        return store.transact(fn) as Promise<T>;
      },
    };
  }
}

export interface GatedServer {
  readonly url: string;
  readonly server: Server;
  readonly store: OpenedStore;
  readonly gate: TransactionGate;
  close(): Promise<void>;
}

/** rili in this process, seeded with TEST_SEED, with a fixed clock, counting ids and a transaction gate. */
export async function startGated(location: string): Promise<GatedServer> {
  const store = await openStore(location);
  const gate = new TransactionGate();
  const clock = new TestClock(Date.UTC(2026, 0, 1));
  const server = await buildServer({ db: location, secret: TEST_SECRET, logLevel: 'silent' }, { store: gate.wrap(store), clock, ids: countingIds() });
  await server.ctx.directory.applySeed(seedFromJson(TEST_SEED));
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    server,
    store,
    gate,
    async close() {
      await server.close();
    },
  };
}
