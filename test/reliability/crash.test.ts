import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { TEST_SEED } from '../helpers/seed.js';
import { STORES } from '../helpers/stores.js';
import type { StoreKind } from '../../src/store/open-store.js';
import { logViolations, SNAPSHOT_SQL, snapshotOf } from './lib/crash-log.js';
import type { AckedWrite, LogSnapshot } from './lib/crash-log.js';
import { attendeeKeyOf, attendeeSpecOf, fieldsBody, fieldsFromWire, fieldsOf, newStats, sameFields } from './lib/crash-model.js';
import type { CrashStats, ModelEvent, Pending } from './lib/crash-model.js';
import { feishu, isFeishuOk, sandboxToken } from './lib/http.js';
import type { Answer, FeishuCaller } from './lib/http.js';
import { pgQuery, privateDatabase } from './lib/pg.js';
import { freePort, startRiliChild } from './lib/rili-child.js';
import type { RiliChild } from './lib/rili-child.js';
import { prng, RUN_SEED, sized } from './lib/size.js';

/**
 * Crash safety: a write load over HTTP against `rili serve`, SIGKILLed at random moments, restarted,
 * and checked: every acknowledged write is there with exactly its content; a write in flight at the
 * kill is there entirely or not at all; the database passes its own integrity check; every write
 * that committed has its change records and every record its write (lib/crash-log.ts).
 */

const ROUNDS = sized('RILI_CRASH_ROUNDS', 20, 200);
/** Requests in flight at once. */
const WORKERS = sized('RILI_CRASH_WORKERS', 6, 8);
const SECRET = 'rili-crash-secret';
/** 2026-01-01T00:00:00Z. */
const T0 = 1_767_225_600;
const USERS = ['lisi', 'wangwu', 'zhaoliu', 'sunqi'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Database {
  readonly location: string;
  /** Checks the database after a kill, with the server down. */
  check(): Promise<void>;
  /** The change log and the rows it is about, read straight from the tables (the server idle). */
  snapshot(): Promise<LogSnapshot>;
  drop(): Promise<void>;
}

function sqliteDatabase(dir: string): Database {
  const path = join(dir, 'rili.db');
  return {
    location: path,
    async check() {
      // Read-only: the restarted server, not this check, must do the WAL recovery.
      const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      try {
        assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'PRAGMA integrity_check');
        assert.deepEqual(db.pragma('foreign_key_check'), [], 'PRAGMA foreign_key_check');
      } finally {
        db.close();
      }
    },
    async snapshot() {
      const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
      try {
        const all = (sql: string) => db.prepare(sql).all();
        return snapshotOf(all(SNAPSHOT_SQL.records('')), all(SNAPSHOT_SQL.events('')), all(SNAPSHOT_SQL.attendees('')));
      } finally {
        db.close();
      }
    },
    async drop() {},
  };
}

async function postgresDatabase(): Promise<Database> {
  const database = await privateDatabase('crash');
  const { location, name: schema } = database.schema('crash');
  const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => pgQuery<T>(database.url, text, values);
  let amcheck = true;
  try {
    await query('create extension if not exists amcheck');
  } catch {
    amcheck = false;
  }
  return {
    location,
    async check() {
      if (!amcheck) return;
      // Every B-tree index of the schema agrees with itself and with its table (heapallindexed).
      const indexes = await query<{ name: string }>(
        `select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
         join pg_am am on am.oid = c.relam where n.nspname = $1 and am.amname = 'btree'`, [schema]);
      assert.ok(indexes.rows.length > 0, 'the schema has indexes to check');
      for (const { name } of indexes.rows) await query(`select bt_index_check('${schema}.${name}'::regclass, true)`);
    },
    async snapshot() {
      const rows = async (sql: string) => (await query(sql)).rows;
      const t = `${schema}.`;
      return snapshotOf(await rows(SNAPSHOT_SQL.records(t)), await rows(SNAPSHOT_SQL.events(t)), await rows(SNAPSHOT_SQL.attendees(t)));
    },
    drop: () => database.drop(),
  };
}

/** One crash-test run over one store. */
class CrashRun {
  readonly events: ModelEvent[] = [];
  readonly stats: CrashStats = newStats();
  readonly violations: string[] = [];
  /** Writes that committed since the last log check: acknowledged ones, and in-flight ones found applied. */
  private acked: AckedWrite[] = [];
  /** The newest change record at the last log check. */
  private checkedSeq = 0;
  private opNo = 0;
  private readonly rng;
  server!: RiliChild;
  caller!: FeishuCaller;
  calendarId = '';

  constructor(readonly kind: StoreKind, readonly db: Database, readonly port: number, readonly seedPath: string, seed: number) {
    this.rng = prng(seed);
  }

  private path(ev?: ModelEvent, tail = ''): string {
    const base = `/calendar/v4/calendars/${encodeURIComponent(this.calendarId)}/events`;
    return ev ? `${base}/${ev.id}${tail}` : `${base}${tail}`;
  }

  async start(seed: boolean): Promise<void> {
    this.server = await startRiliChild({ db: this.db.location, port: this.port, secret: SECRET, seedPath: seed ? this.seedPath : undefined });
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    this.caller = { base: this.server.url, token: this.caller?.token, agent };
  }

  async login(): Promise<void> {
    // The secret is fixed, so this token stays good across every restart.
    this.caller = { ...this.caller, token: await sandboxToken(this.server.url, 'cli_acme', 'zhangsan') };
    const primary = await feishu(this.caller, 'POST', '/calendar/v4/calendars/primary');
    assert.ok(isFeishuOk(primary), primary.text);
    this.calendarId = primary.json.data.calendars[0].calendar.calendar_id;
  }

  /** Picks the next write: a new event, or a change to an event with nothing in flight. */
  private nextOp(): { ev: ModelEvent; run: () => Promise<void> } | undefined {
    const idle = this.events.filter((e) => !e.busy && !e.deleted && e.id && !e.pending);
    const roll = this.rng.next();
    if (idle.length < 4 || roll < 0.22) return this.createOp();
    const ev = this.rng.pick(idle);
    if (roll < 0.55) return this.patchOp(ev);
    if (roll < 0.78) return this.addOp(ev);
    if (roll < 0.9 && ev.attendees.size > 0) return this.removeOp(ev);
    if (roll < 0.97) return this.patchOp(ev);
    return this.deleteOp(ev);
  }

  private createOp() {
    const n = this.events.length;
    const ev: ModelEvent = {
      n, idempotencyKey: `crash-${n}-${randomBytes(4).toString('hex')}`, deleted: false, fields: fieldsOf(n, ++this.opNo),
      attendees: new Map(), busy: true, attendeesTouched: false,
    };
    this.events.push(ev);
    return {
      ev,
      run: () => this.write(ev, { op: 'create' }, () => this.sendCreate(ev), (a) => {
        ev.id = a.json.data.event.event_id;
        assert.ok(sameFields(fieldsFromWire(a.json.data.event), ev.fields), 'create answers what it stored');
      }),
    };
  }

  private sendCreate(ev: ModelEvent): Promise<Answer> {
    const start = T0 + ev.n * 3600;
    return feishu(this.caller, 'POST', this.path(undefined, `?idempotency_key=${ev.idempotencyKey}`), {
      ...fieldsBody(ev.fields), start_time: { timestamp: String(start) }, end_time: { timestamp: String(start + 1800) },
    });
  }

  private patchOp(ev: ModelEvent) {
    const next = fieldsOf(ev.n, ++this.opNo);
    ev.busy = true;
    return { ev, run: () => this.write(ev, { op: 'patch', after: next }, () => feishu(this.caller, 'PATCH', this.path(ev), fieldsBody(next)), () => { ev.fields = next; }) };
  }

  private addOp(ev: ModelEvent) {
    const op = ++this.opNo;
    const keys = Array.from({ length: 1 + this.rng.int(3) }, (_, i) => `mail:g${op}-${i}@crash.example`);
    const user = this.rng.pick(USERS);
    if (!ev.attendees.has(`user:${user}`) && this.rng.chance(0.5)) keys.push(`user:${user}`);
    ev.busy = true;
    ev.attendeesTouched = true;
    return {
      ev,
      run: () => this.write(ev, { op: 'add', keys },
        () => feishu(this.caller, 'POST', this.path(ev, '/attendees?user_id_type=user_id'), { attendees: keys.map(attendeeSpecOf), add_operator_to_attendee: false }),
        (a) => {
          const had = new Set(ev.attendees.values());
          for (const item of a.json.data.attendees) ev.attendees.set(attendeeKeyOf(item), item.attendee_id);
          return a.json.data.attendees.map((item: any) => item.attendee_id as string).filter((id: string) => !had.has(id));
        }),
    };
  }

  private removeOp(ev: ModelEvent) {
    const present = [...ev.attendees.keys()];
    const keys = present.filter(() => this.rng.chance(0.4)).slice(0, 3);
    if (keys.length === 0) keys.push(this.rng.pick(present));
    ev.busy = true;
    ev.attendeesTouched = true;
    return {
      ev,
      run: () => this.write(ev, { op: 'remove', keys },
        () => feishu(this.caller, 'POST', this.path(ev, '/attendees/batch_delete?user_id_type=user_id'), { attendee_ids: keys.map((k) => ev.attendees.get(k)!) }),
        () => {
          const ids = keys.map((k) => ev.attendees.get(k)!);
          for (const k of keys) ev.attendees.delete(k);
          return ids;
        }),
    };
  }

  private deleteOp(ev: ModelEvent) {
    ev.busy = true;
    return { ev, run: () => this.write(ev, { op: 'delete' }, () => feishu(this.caller, 'DELETE', this.path(ev)), () => { ev.deleted = true; }) };
  }

  /** Sends one write; an answer is an acknowledgement (or a violation), no answer leaves it pending. */
  private async write(ev: ModelEvent, pending: Pending, sendIt: () => Promise<Answer>, acknowledge: (a: Answer) => readonly string[] | void): Promise<void> {
    let answer: Answer;
    try {
      answer = await sendIt();
    } catch {
      ev.pending = pending;
      ev.busy = false;
      this.stats.inFlight++;
      return;
    }
    ev.busy = false;
    if (!isFeishuOk(answer)) {
      // Nothing in this load should be refused; a refusal must at least leave nothing behind.
      this.violations.push(`ev${ev.n} ${pending.op}: answered ${answer.status} ${answer.text.slice(0, 300)}`);
      if (pending.op === 'create') ev.deleted = true;
      return;
    }
    const attendeeIds = acknowledge(answer);
    this.acked.push({ op: pending.op, eventId: ev.id!, ...(attendeeIds ? { attendeeIds } : {}) });
    this.stats.acknowledged[pending.op]++;
  }

  /** Runs the load until `stop`, with WORKERS writes in flight. */
  async load(stop: { now: boolean }): Promise<void> {
    const worker = async () => {
      while (!stop.now) {
        const next = this.nextOp();
        if (!next) {
          await sleep(2);
          continue;
        }
        await next.run();
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
  }

  async round(): Promise<void> {
    const stop = { now: false };
    const running = this.load(stop);
    await sleep(120 + this.rng.int(700));
    // No new request starts after the kill: those in flight now are the ones the check is about.
    stop.now = true;
    await this.server.kill();
    await running;
    (this.caller.agent as http.Agent).destroy();
    await this.db.check();
    this.stats.integrityChecks++;
    await this.start(false);
    await this.verify(false);
    await this.verifyLog();
    this.stats.rounds++;
  }

  /** Every event of the calendar, all pages. */
  private async listed(): Promise<Map<string, any>> {
    const out = new Map<string, any>();
    let pageToken: string | undefined;
    do {
      const a = await feishu(this.caller, 'GET', this.path(undefined, `?page_size=1000${pageToken ? `&page_token=${pageToken}` : ''}`));
      assert.ok(isFeishuOk(a), a.text);
      for (const e of a.json.data.items ?? []) out.set(e.event_id, e);
      pageToken = a.json.data.has_more ? a.json.data.page_token : undefined;
    } while (pageToken);
    return out;
  }

  private async attendeesOf(ev: ModelEvent): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    let pageToken: string | undefined;
    do {
      const a = await feishu(this.caller, 'GET', this.path(ev, `/attendees?user_id_type=user_id&page_size=100${pageToken ? `&page_token=${pageToken}` : ''}`));
      assert.ok(isFeishuOk(a), a.text);
      for (const item of a.json.data.items ?? []) out.set(attendeeKeyOf(item), item.attendee_id);
      pageToken = a.json.data.has_more ? a.json.data.page_token : undefined;
    } while (pageToken);
    return out;
  }

  private violation(message: string): void {
    this.violations.push(message);
  }

  /** After a restart: the store against the model; pending writes resolved one way or the other. */
  async verify(everything: boolean): Promise<void> {
    const listed = await this.listed();
    const known = new Set(this.events.filter((e) => e.id).map((e) => e.id!));
    for (const ev of this.events) {
      const pending = ev.pending;
      ev.pending = undefined;
      if (pending?.op === 'create') {
        const found = [...listed.values()].filter((e) => !known.has(e.event_id) && e.summary === ev.fields.summary);
        if (found.length > 1) this.violation(`ev${ev.n}: an in-flight create made ${found.length} events`);
        if (found.length === 1 && !sameFields(fieldsFromWire(found[0]), ev.fields)) {
          this.violation(`ev${ev.n}: an in-flight create is half there: ${JSON.stringify(fieldsFromWire(found[0]))}`);
        }
        this.count(found.length === 1);
        // The client retries with its idempotency key: it must get the same event, not a second one.
        const retry = await this.sendCreate(ev);
        if (!isFeishuOk(retry)) {
          this.violation(`ev${ev.n}: the retried create was refused: ${retry.text}`);
          ev.deleted = true;
          continue;
        }
        this.stats.retriedCreates++;
        ev.id = retry.json.data.event.event_id;
        if (found.length === 1 && ev.id !== found[0].event_id) this.violation(`ev${ev.n}: the retry with its idempotency key made a second event`);
        known.add(ev.id!);
        listed.set(ev.id!, retry.json.data.event);
        // Made by the write in flight at the kill or by this retry: either way committed, with its record.
        this.acked.push({ op: 'create', eventId: ev.id! });
        continue;
      }
      if (!ev.id) continue;
      const item = listed.get(ev.id);
      if (pending?.op === 'delete') {
        this.count(!item);
        if (!item) {
          this.acked.push({ op: 'delete', eventId: ev.id });
          const got = await feishu(this.caller, 'GET', this.path(ev));
          if (got.json?.code !== 193003) this.violation(`ev${ev.n}: deleted but GET answers ${got.status} ${got.text.slice(0, 200)}`);
          ev.deleted = true;
          continue;
        }
      }
      if (ev.deleted) {
        if (item) this.violation(`ev${ev.n}: an acknowledged delete is undone`);
        continue;
      }
      if (!item) {
        this.violation(`ev${ev.n} (${ev.id}): acknowledged, missing after the crash`);
        continue;
      }
      const seen = fieldsFromWire(item);
      if (pending?.op === 'patch') {
        const applied = sameFields(seen, pending.after);
        if (!applied && !sameFields(seen, ev.fields)) {
          this.violation(`ev${ev.n}: an in-flight patch is half applied: ${JSON.stringify(seen)} is neither ${JSON.stringify(ev.fields)} nor ${JSON.stringify(pending.after)}`);
        }
        this.count(applied);
        if (applied) this.acked.push({ op: 'patch', eventId: ev.id });
        ev.fields = seen;
      } else if (!sameFields(seen, ev.fields)) {
        this.violation(`ev${ev.n}: acknowledged ${JSON.stringify(ev.fields)}, found ${JSON.stringify(seen)}`);
        ev.fields = seen;
      }
      if (everything || ev.attendeesTouched || pending?.op === 'add' || pending?.op === 'remove') {
        await this.verifyAttendees(ev, pending);
      }
    }
    for (const id of listed.keys()) {
      if (!known.has(id)) this.violation(`an event nobody created: ${id} ${listed.get(id).summary}`);
    }
  }

  private async verifyAttendees(ev: ModelEvent, pending: Pending | undefined): Promise<void> {
    const seen = await this.attendeesOf(ev);
    const keys = (m: Map<string, string>) => [...m.keys()].sort().join(',');
    const before = keys(ev.attendees);
    if (pending?.op === 'add' || pending?.op === 'remove') {
      const after = new Map(ev.attendees);
      for (const k of pending.keys) {
        if (pending.op === 'add') after.set(k, '');
        else after.delete(k);
      }
      const applied = keys(seen) === keys(after);
      if (!applied && keys(seen) !== before) {
        this.violation(`ev${ev.n}: an in-flight attendee ${pending.op} of ${pending.keys.join(',')} is half applied: ${keys(seen)}; before: ${before}`);
      }
      this.count(applied);
      if (applied) {
        const had = new Set(ev.attendees.values());
        const attendeeIds = pending.op === 'add'
          ? [...seen.values()].filter((id) => !had.has(id))
          : pending.keys.map((k) => ev.attendees.get(k)).filter((id): id is string => id !== undefined);
        this.acked.push({ op: pending.op, eventId: ev.id!, attendeeIds });
      }
    } else if (keys(seen) !== before) {
      this.violation(`ev${ev.n}: acknowledged attendees ${before}, found ${keys(seen)}`);
    }
    ev.attendees = seen;
    ev.attendeesTouched = false;
  }

  /** The change log against the writes since the last check and against the rows (lib/crash-log.ts). */
  async verifyLog(): Promise<void> {
    const snapshot = await this.db.snapshot();
    for (const v of logViolations(snapshot, this.acked, this.checkedSeq, this.calendarId)) this.violation(`change log: ${v}`);
    this.stats.loggedWritesChecked += this.acked.length;
    this.acked = [];
    this.checkedSeq = snapshot.records.reduce((max, r) => Math.max(max, r.seq), this.checkedSeq);
  }

  private count(applied: boolean): void {
    if (applied) this.stats.inFlightApplied++;
    else this.stats.inFlightNotApplied++;
  }
}

for (const kind of STORES) {
  describe(`${kind}: crash safety (SIGKILL of rili serve)`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'rili-crash-'));
    let database: Database | undefined;
    let run: CrashRun | undefined;
    after(async () => {
      await run?.server?.kill();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test(`${kind}: ${ROUNDS} kills under a write load: acknowledged writes stay, in-flight ones are all or nothing, each with its change records`, { timeout: 30 * 60_000 }, async () => {
      const seed = RUN_SEED;
      database = kind === 'sqlite' ? sqliteDatabase(dir) : await postgresDatabase();
      const seedPath = join(dir, 'seed.json');
      writeFileSync(seedPath, JSON.stringify(TEST_SEED));
      run = new CrashRun(kind, database, await freePort(), seedPath, seed);
      await run.start(true);
      await run.login();
      const started = Date.now();
      for (let i = 0; i < ROUNDS; i++) {
        await run.round();
        assert.deepEqual(run.violations, [], `round ${i + 1} (RILI_TEST_SEED=${seed}); server stderr: ${run.server.stderrTail()}`);
      }
      await run.verify(true);
      await run.verifyLog();
      assert.deepEqual(run.violations, [], `final check (RILI_TEST_SEED=${seed})`);
      const s = run.stats;
      const acked = Object.values(s.acknowledged).reduce((a, b) => a + b, 0);
      const live = run.events.filter((e) => !e.deleted).length;
      console.log(`[reliability] crash ${kind}: ${s.rounds} SIGKILLs, ${acked} acknowledged writes ${JSON.stringify(s.acknowledged)}, `
        + `${s.inFlight} in flight at a kill (${s.inFlightApplied} applied whole, ${s.inFlightNotApplied} not at all, 0 in part), `
        + `${s.retriedCreates} creates retried by idempotency key, ${s.integrityChecks} integrity checks ok, ${live} events checked at the end, `
        + `${s.loggedWritesChecked} committed writes found in the change log, `
        + `${Math.round((Date.now() - started) / 1000)} s, seed ${seed}`);
      await run.server.stop();
    });
  });
}
