/**
 * Change-log wake-ups between processes on one PostgreSQL database (`--workers`, several servers):
 * a transaction that appended records issues NOTIFY with its last sequence number (change_log's
 * trigger, migration 030), which PostgreSQL delivers only if and when it commits; each process with
 * followers LISTENs on a connection of its own, outside the pool, and reconnects when it is lost. A notification missed while disconnected is
 * covered by a wake-up on every (re)connection: followers read the log, which is the truth.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { WakeSource } from '../change-signal.js';

/** PostgreSQL's longest identifier (NAMEDATALEN - 1): a longer channel name is refused. */
const MAX_CHANNEL_LENGTH = 63;
const MAX_RECONNECT_MS = 5_000;

/** The channel of one rili schema: notifications are per database, and tests share one database across schemas. */
export function changeChannel(schema: string | undefined): string {
  const name = `rili_changes_${schema ?? 'public'}`;
  if (name.length <= MAX_CHANNEL_LENGTH) return name;
  return `rili_changes_${createHash('sha256').update(name).digest('hex').slice(0, 40)}`;
}

/** A wake "read the log now": larger than any sequence number a follower can be at. */
const READ_NOW = Number.MAX_SAFE_INTEGER;

/**
 * LISTENs on `channel` with a dedicated client to the database at `url` (rili's `schema` parameter
 * dropped), while the store's signal has listeners.
 */
export function postgresWakeSource(url: string, channel: string): WakeSource {
  const parsed = new URL(url);
  parsed.searchParams.delete('schema');
  const connectionString = parsed.toString();
  const applicationName = `${parsed.searchParams.get('application_name') ?? 'rili'}-listen`;
  return (wake) => {
    let stopped = false;
    let client: pg.Client | undefined;
    let timer: NodeJS.Timeout | undefined;
    let delayMs = 0;
    const connect = async () => {
      if (stopped) return;
      const c = new pg.Client({ connectionString, application_name: applicationName, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
      client = c;
      let lost = false;
      const reconnect = () => {
        if (lost) return;
        lost = true;
        if (client === c) client = undefined;
        void c.end().catch(() => {});
        if (stopped) return;
        delayMs = Math.min(MAX_RECONNECT_MS, Math.max(100, delayMs * 2));
        timer = setTimeout(() => void connect(), delayMs);
      };
      c.on('error', reconnect);
      c.on('end', reconnect);
      c.on('notification', (message) => {
        if (message.channel !== channel) return;
        const seq = Number(message.payload);
        wake(Number.isSafeInteger(seq) ? seq : READ_NOW);
      });
      try {
        await c.connect();
        await c.query(`listen "${channel}"`);
      } catch {
        reconnect();
        return;
      }
      if (stopped || lost) return;
      delayMs = 0;
      // Anything committed while nobody listened (before this connection, or between two) is in the log.
      wake(READ_NOW);
    };
    void connect();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      if (c) {
        c.removeAllListeners('end');
        c.removeAllListeners('notification');
        await c.end().catch(() => {});
      }
    };
  };
}
