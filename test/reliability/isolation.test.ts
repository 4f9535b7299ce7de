import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tokenSigner } from '../../src/auth/tokens.js';
import { startServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';
import { STORES } from '../helpers/stores.js';
import { openStore } from '../../src/store/open-store.js';
import { dingtalk, dingtalkAppToken, feishu, isFeishuOk, sandboxToken, tenantToken } from './lib/http.js';
import type { Answer, FeishuCaller } from './lib/http.js';
import { privateDatabase } from './lib/pg.js';
import { freePort, startRiliChild } from './lib/rili-child.js';
import type { PgDatabase } from './lib/pg.js';
import { changedTables, snapshot } from './lib/snapshot.js';

/**
 * Isolation: every Feishu calendar and event endpoint, called by everyone who should not see or
 * change something (another tenant, another app of the same tenant, a user without access, a
 * free_busy_reader, a reader, an attendee, an expired token, forged tokens). Each kind of secret is a
 * canary string; a response carries a canary only to a caller entitled to it. Every write by someone
 * not entitled is refused (4xx) and changes no table. Positive controls make sure the canaries do
 * reach those entitled, so the test cannot pass by seeing nothing.
 */

/** Canary classes: each string marks details of one kind. */
const C = {
  CALS: 'CANARYCALS', // the private shared calendar's summary and description
  PUBS: 'CANARYPUBS', // a public event on it
  PRIVS: 'CANARYPRIVS', // private events on it (a single one and a series), attendee: sunqi
  PUBP: 'CANARYPUBP', // an event of default visibility on zhangsan's primary (tenant sees free/busy only)
  PRIVP: 'CANARYPRIVP', // a private event on the primary, attendee: sunqi
  CHAT: 'CANARYCHAT', // an event on the primary with the chat oc_team (zhangsan, lisi, wangwu) invited
  BOT: 'CANARYBOT', // an event on cli_acme's own (bot) calendar
} as const;
type Canary = keyof typeof C;
const ALL = Object.keys(C) as Canary[];

interface Principal {
  readonly name: string;
  /** Feishu Authorization header value. */
  readonly auth: string;
  readonly mayRead: readonly Canary[];
  /** Calendars (by fixture key) this principal may change. */
  readonly mayWrite: readonly ('S' | 'P' | 'BOT')[];
  /** Same tenant and a valid token. */
  readonly member: boolean;
  /** Expired, forged or of the wrong kind: every request must fail authentication. */
  readonly invalidToken?: boolean;
  /** Calendars it may subscribe to (it holds a role on them) and events it may answer (invited, with a role on the calendar). */
  readonly subscribe?: readonly ('S' | 'P' | 'BOT')[];
  readonly reply?: readonly string[];
  /** Must see these somewhere (positive control). */
  readonly mustSee: readonly Canary[];
  /** The user behind the token, for searches that name the caller. */
  readonly user?: string;
}

interface Fixture {
  S: string;
  P: string;
  BOT: string;
  events: Record<'PUBS' | 'PRIVS' | 'PRIVREC' | 'PUBP' | 'PRIVP' | 'CHATEV' | 'BOTEV', string>;
  attendeeIds: Record<string, string[]>;
  chatAttendee: string;
  aclLisi: string;
  start: number;
}

const details = (tag: string) => ({ summary: `${tag} summary`, description: `${tag} description`, location: { name: `${tag} location` } });

async function buildFixture(s: TestServer, owner: FeishuCaller, bot: FeishuCaller): Promise<Fixture> {
  const ok = (a: Answer, what: string) => {
    assert.ok(isFeishuOk(a), `${what}: ${a.text}`);
    return a.json.data;
  };
  const now = Math.floor(s.clock.now() / 1000);
  const start = now - (now % 3600) + 3600;
  const times = (offset = 0) => ({ start_time: { timestamp: String(start + offset) }, end_time: { timestamp: String(start + offset + 1800) } });
  const S = ok(await feishu(owner, 'POST', '/calendar/v4/calendars', { summary: `${C.CALS} summary`, description: `${C.CALS} description`, permissions: 'private' }), 'S').calendar.calendar_id;
  const aclLisi = ok(await feishu(owner, 'POST', `/calendar/v4/calendars/${encodeURIComponent(S)}/acls?user_id_type=user_id`, { role: 'reader', scope: { type: 'user', user_id: 'lisi' } }), 'acl').acl_id;
  ok(await feishu(owner, 'POST', `/calendar/v4/calendars/${encodeURIComponent(S)}/acls?user_id_type=user_id`, { role: 'free_busy_reader', scope: { type: 'user', user_id: 'wangwu' } }), 'acl');
  const P = ok(await feishu(owner, 'POST', '/calendar/v4/calendars/primary'), 'P').calendars[0].calendar.calendar_id;
  const BOT = ok(await feishu(bot, 'POST', '/calendar/v4/calendars/primary'), 'bot').calendars[0].calendar.calendar_id;
  const ev = async (caller: FeishuCaller, cal: string, body: object) =>
    ok(await feishu(caller, 'POST', `/calendar/v4/calendars/${encodeURIComponent(cal)}/events`, body), 'event').event.event_id as string;
  const events = {
    PUBS: await ev(owner, S, { ...details(C.PUBS), visibility: 'public', ...times(0) }),
    PRIVS: await ev(owner, S, { ...details(C.PRIVS), visibility: 'private', attendee_ability: 'can_see_others', ...times(3600) }),
    PRIVREC: await ev(owner, S, { ...details(C.PRIVS), visibility: 'private', recurrence: 'FREQ=DAILY;COUNT=5', ...times(7200) }),
    PUBP: await ev(owner, P, { ...details(C.PUBP), ...times(10_800) }),
    PRIVP: await ev(owner, P, { ...details(C.PRIVP), visibility: 'private', attendee_ability: 'can_see_others', ...times(14_400) }),
    CHATEV: await ev(owner, P, { ...details(C.CHAT), attendee_ability: 'can_see_others', ...times(18_000) }),
    BOTEV: await ev(bot, BOT, { ...details(C.BOT), ...times(21_600) }),
  };
  const attendeeIds: Record<string, string[]> = {};
  const invite = async (cal: string, key: keyof typeof events, attendees: object[]) => {
    const data = ok(await feishu(owner, 'POST', `/calendar/v4/calendars/${encodeURIComponent(cal)}/events/${events[key]}/attendees?user_id_type=user_id`, { attendees }), 'invite');
    attendeeIds[key] = (data.attendees as Array<{ attendee_id: string }>).map((a) => a.attendee_id);
    return data.attendees as Array<{ attendee_id: string; type: string }>;
  };
  await invite(S, 'PRIVS', [{ type: 'user', user_id: 'sunqi' }]);
  await invite(S, 'PRIVREC', [{ type: 'user', user_id: 'sunqi' }]);
  await invite(P, 'PRIVP', [{ type: 'user', user_id: 'sunqi' }]);
  const chat = await invite(P, 'CHATEV', [{ type: 'chat', chat_id: 'oc_team' }]);
  return { S, P, BOT, events, attendeeIds, chatAttendee: chat.find((a) => a.type === 'chat')!.attendee_id, aclLisi, start };
}

/**
 * Searches that match by attendee: who is invited must not show through them. Every hit must be an
 * event whose attendee list the caller may read from that calendar (or the filter names the caller).
 */
function attendeeSearches(via: string, path: string): Call[] {
  const searches: Array<[string, object]> = [['user sunqi', { user_ids: ['sunqi'] }], ['user lisi', { user_ids: ['lisi'] }], ['chat oc_team', { chat_ids: ['oc_team'] }]];
  return searches.map(([what, filter]) => ({
    label: `${via}: events.search by ${what}`, method: 'POST', path: `${path}/events/search?user_id_type=user_id&page_size=100`,
    body: { query: '', filter },
    attendeeProbe: { via, user: what.startsWith('user ') ? what.slice(5) : undefined },
  }));
}

/** One request of the matrix. */
interface Call {
  /** An attendee list, from this calendar (matrix key or 'own primary'). */
  readonly attendeeList?: { readonly via: string; readonly eventId: string };
  /** A search by attendee, from this calendar (matrix key or 'own primary'), naming this user if any. */
  readonly attendeeProbe?: { readonly via: string; readonly user?: string };
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Which fixture calendar a write touches; undefined for reads. */
  readonly writes?: 'S' | 'P' | 'BOT';
  /** A subscription to this calendar, or a reply to this event: the caller's own business where it has the standing. */
  readonly subscribe?: 'S' | 'P' | 'BOT';
  readonly reply?: string;
}

function matrix(f: Fixture): Call[] {
  const calls: Call[] = [];
  const cal = (id: string) => `/calendar/v4/calendars/${encodeURIComponent(id)}`;
  const window = `start_time=${f.start - 86_400}&end_time=${f.start + 7 * 86_400}`;
  const calendars = { S: f.S, P: f.P, BOT: f.BOT } as const;
  calls.push(
    { label: 'calendar.list', method: 'GET', path: '/calendar/v4/calendars?page_size=1000' },
    { label: 'calendar.search', method: 'POST', path: '/calendar/v4/calendars/search', body: { query: 'CANARY' } },
    { label: 'calendar.mget', method: 'POST', path: '/calendar/v4/calendars/mget', body: { calendar_ids: [f.S, f.P, f.BOT] } },
    { label: 'calendar.primarys', method: 'POST', path: '/calendar/v4/calendars/primarys?user_id_type=user_id', body: { user_ids: ['zhangsan', 'sunqi'] } },
    { label: 'freebusy.list', method: 'POST', path: '/calendar/v4/freebusy/list?user_id_type=user_id', body: { time_min: new Date((f.start - 86_400) * 1000).toISOString(), time_max: new Date((f.start + 7 * 86_400) * 1000).toISOString(), user_id: 'zhangsan', need_rsvp_status: true } },
    { label: 'freebusy.batch', method: 'POST', path: '/calendar/v4/freebusy/batch?user_id_type=user_id', body: { time_min: new Date((f.start - 86_400) * 1000).toISOString(), time_max: new Date((f.start + 7 * 86_400) * 1000).toISOString(), user_ids: ['zhangsan', 'sunqi', 'lisi'] } },
    { label: 'own primary: events.list', method: 'GET', path: `${cal('primary')}/events?page_size=1000` },
    { label: 'own primary: events.list window', method: 'GET', path: `${cal('primary')}/events?${window}` },
    { label: 'own primary: instance_view', method: 'GET', path: `${cal('primary')}/events/instance_view?${window}` },
    { label: 'own primary: events.search', method: 'POST', path: `${cal('primary')}/events/search`, body: { query: 'CANARY' } },
    ...attendeeSearches('own primary', cal('primary')),
  );
  for (const [key, id] of Object.entries(calendars) as Array<['S' | 'P' | 'BOT', string]>) {
    calls.push(
      { label: `${key}: calendar.get`, method: 'GET', path: cal(id) },
      { label: `${key}: acl.list`, method: 'GET', path: `${cal(id)}/acls` },
      { label: `${key}: events.list`, method: 'GET', path: `${cal(id)}/events?page_size=1000` },
      { label: `${key}: events.list window`, method: 'GET', path: `${cal(id)}/events?${window}` },
      { label: `${key}: instance_view`, method: 'GET', path: `${cal(id)}/events/instance_view?${window}` },
      { label: `${key}: events.search CANARY`, method: 'POST', path: `${cal(id)}/events/search`, body: { query: 'CANARY' } },
      { label: `${key}: events.search ''`, method: 'POST', path: `${cal(id)}/events/search`, body: { query: '' } },
      ...attendeeSearches(key, cal(id)),
      { label: `${key}: calendar.patch`, method: 'PATCH', path: cal(id), body: { summary: 'HACKED', permissions: 'public' }, writes: key },
      { label: `${key}: calendar.delete`, method: 'DELETE', path: cal(id), writes: key },
      { label: `${key}: acl.create`, method: 'POST', path: `${cal(id)}/acls?user_id_type=user_id`, body: { role: 'owner', scope: { type: 'user', user_id: 'zhouba' } }, writes: key },
      { label: `${key}: event.create`, method: 'POST', path: `${cal(id)}/events`, body: { summary: 'HACKED', start_time: { timestamp: String(f.start) }, end_time: { timestamp: String(f.start + 60) } }, writes: key },
      { label: `${key}: subscribe`, method: 'POST', path: `${cal(id)}/subscribe`, writes: key, subscribe: key },
    );
  }
  calls.push({ label: 'S: acl.delete', method: 'DELETE', path: `${cal(f.S)}/acls/${f.aclLisi}`, writes: 'S' });
  const where: Record<keyof Fixture['events'], ['S' | 'P' | 'BOT', string]> = {
    PUBS: ['S', f.S], PRIVS: ['S', f.S], PRIVREC: ['S', f.S], PUBP: ['P', f.P], PRIVP: ['P', f.P], CHATEV: ['P', f.P], BOTEV: ['BOT', f.BOT],
  };
  for (const [name, eventId] of Object.entries(f.events) as Array<[keyof Fixture['events'], string]>) {
    const [key, calendarId] = where[name];
    const occurrence = `${eventId.slice(0, -2)}_${f.start + 7200 + 86_400}`;
    for (const [via, c] of [[key, calendarId], ['own primary', 'primary']] as const) {
      const e = `${cal(c)}/events/${eventId}`;
      calls.push(
        { label: `${via}/${name}: event.get`, method: 'GET', path: e },
        { label: `${via}/${name}: attendees.list`, method: 'GET', path: `${e}/attendees?user_id_type=user_id`, attendeeList: { via, eventId } },
      );
      if (name === 'PRIVREC') {
        calls.push(
          { label: `${via}/${name}: instances`, method: 'GET', path: `${e}/instances?${window}` },
          { label: `${via}/${name}: occurrence get`, method: 'GET', path: `${cal(c)}/events/${occurrence}` },
        );
      }
      if (name === 'CHATEV') calls.push({ label: `${via}/${name}: chat_members`, method: 'GET', path: `${e}/attendees/${f.chatAttendee}/chat_members?user_id_type=user_id` });
    }
    const e = `${cal(calendarId)}/events/${eventId}`;
    calls.push(
      { label: `${key}/${name}: event.patch`, method: 'PATCH', path: e, body: { summary: 'HACKED', color: 1 }, writes: key },
      { label: `${key}/${name}: event.delete`, method: 'DELETE', path: e, writes: key },
      { label: `${key}/${name}: attendees.create`, method: 'POST', path: `${e}/attendees?user_id_type=user_id`, body: { attendees: [{ type: 'user', user_id: 'zhouba' }] }, writes: key },
      { label: `${key}/${name}: attendees.batch_delete`, method: 'POST', path: `${e}/attendees/batch_delete`, body: { attendee_ids: f.attendeeIds[name] ?? ['user_x'] }, writes: key },
      { label: `${key}/${name}: reply`, method: 'POST', path: `${e}/reply`, body: { rsvp_status: 'decline' }, writes: key, reply: name },
    );
  }
  return calls;
}

for (const kind of STORES) {
  describe(`${kind}: isolation`, () => {
    let s: TestServer;
    let pgDatabase: PgDatabase | undefined;
    let f: Fixture;
    let principals: Principal[];
    const counts = { requests: 0, refusedWrites: 0, reads: 0, attendeeHits: 0, revokedReads: 0 };

    before(async () => {
      if (kind === 'postgres') pgDatabase = await privateDatabase('iso');
      s = await startServer(kind, pgDatabase ? { location: pgDatabase.schema('i').location } : {});
      const user = async (name: string, app = 'cli_acme') => `Bearer ${await sandboxToken(s.url, app, name)}`;
      const tenant = async (app: string, secret: string) => `Bearer ${await tenantToken(s.url, app, secret)}`;
      const owner = { base: s.url, token: (await user('zhangsan')).slice(7) };
      const botAuth = await tenant('cli_acme', 'acme-secret');
      f = await buildFixture(s, owner, { base: s.url, token: botAuth.slice(7) });
      const nowS = Math.floor(s.clock.now() / 1000);
      const signer = s.server.ctx.tokens;
      const userId = async (name: string) => (await s.server.ctx.store.read((r) => r.directory.userByAnyId('acme', name)))!.id;
      const zhangsanId = await userId('zhangsan');
      const stranger = tokenSigner('not-the-server-secret');
      const real = owner.token;
      const none: Canary[] = [];
      principals = [
        { name: 'owner zhangsan (control)', user: 'zhangsan', auth: `Bearer ${real}`, mayRead: ['CALS', 'PUBS', 'PRIVS', 'PUBP', 'PRIVP', 'CHAT'], mayWrite: ['S', 'P'], member: true, subscribe: ['BOT'], mustSee: ['CALS', 'PUBS', 'PRIVS', 'PUBP', 'PRIVP', 'CHAT'] },
        { name: 'cli_acme bot (control)', auth: botAuth, mayRead: ['BOT'], mayWrite: ['BOT'], member: true, subscribe: ['P'], mustSee: ['BOT'] },
        { name: 'reader lisi', user: 'lisi', auth: await user('lisi'), mayRead: ['CALS', 'PUBS', 'CHAT'], mayWrite: [], member: true, subscribe: ['S', 'P', 'BOT'], reply: ['CHATEV'], mustSee: ['PUBS', 'CHAT'] },
        { name: 'free_busy_reader wangwu', user: 'wangwu', auth: await user('wangwu'), mayRead: ['CALS', 'CHAT'], mayWrite: [], member: true, subscribe: ['S', 'P', 'BOT'], reply: ['CHATEV'], mustSee: ['CHAT'] },
        { name: 'attendee sunqi', user: 'sunqi', auth: await user('sunqi'), mayRead: ['PRIVS', 'PRIVP'], mayWrite: [], member: true, subscribe: ['P', 'BOT'], reply: ['PRIVP'], mustSee: ['PRIVS', 'PRIVP'] },
        { name: 'user without access zhouba', user: 'zhouba', auth: await user('zhouba'), mayRead: none, mayWrite: [], member: true, subscribe: ['P', 'BOT'], mustSee: [] },
        { name: 'zhouba through app cli_acme2', user: 'zhouba', auth: await user('zhouba', 'cli_acme2'), mayRead: none, mayWrite: [], member: true, subscribe: ['P', 'BOT'], mustSee: [] },
        { name: 'another app of the tenant (cli_acme2)', auth: await tenant('cli_acme2', 'acme2-secret'), mayRead: none, mayWrite: [], member: true, subscribe: ['P', 'BOT'], mustSee: [] },
        { name: 'another tenant: user hank', auth: await user('hank', 'cli_globex'), mayRead: none, mayWrite: [], member: false, mustSee: [] },
        { name: 'another tenant: app cli_globex', auth: await tenant('cli_globex', 'globex-secret'), mayRead: none, mayWrite: [], member: false, mustSee: [] },
        { name: 'expired token of zhangsan', auth: `Bearer ${signer.issue({ kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: zhangsanId }, nowS - 100_000, 3600).token}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'expired tenant token of cli_acme', auth: `Bearer ${signer.issue({ kind: 'tenant', tenantKey: 'acme', appId: 'cli_acme' }, nowS - 100_000, 3600).token}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'forged: zhangsan signed with another secret', auth: `Bearer ${stranger.issue({ kind: 'user', tenantKey: 'acme', appId: 'cli_acme', userId: zhangsanId }, nowS, 3600).token}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'forged: zhouba\'s token with zhangsan in its claims', auth: `Bearer ${forgeClaims((await user('zhouba')).slice(7), zhangsanId)}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'forged: a tenant token with a made-up signature', auth: `Bearer t-${Buffer.from(JSON.stringify(['tenant', 'acme', 'cli_acme', '', nowS + 3600])).toString('base64url')}.${'A'.repeat(43)}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'signed, but globex\'s app claiming tenant acme', auth: `Bearer ${signer.issue({ kind: 'user', tenantKey: 'acme', appId: 'cli_globex', userId: zhangsanId }, nowS, 3600).token}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'signed, but globex tenant with acme\'s user', auth: `Bearer ${signer.issue({ kind: 'user', tenantKey: 'globex', appId: 'cli_globex', userId: zhangsanId }, nowS, 3600).token}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
        { name: 'a DingTalk user token on Feishu', auth: `Bearer ${await sandboxToken(s.url, 'dingacme', 'zhangsan')}`, mayRead: none, mayWrite: [], member: false, invalidToken: true, mustSee: [] },
      ];
    });
    after(async () => {
      console.log(`[reliability] isolation ${kind}: ${principals?.length ?? 0} callers × ${f ? matrix(f).length : 0} requests = ${counts.requests} requests `
        + `(${counts.reads} reads checked for ${ALL.length} kinds of canary, ${counts.refusedWrites} writes refused with the store unchanged, `
        + `${counts.attendeeHits} search-by-attendee hits checked against the attendee lists, ${counts.revokedReads} reads by a reader whose ACL was deleted)`);
      await s?.close();
      await pgDatabase?.drop();
    });

    test(`${kind}: no caller reads or changes what it is not entitled to, on any endpoint`, { timeout: 10 * 60_000 }, async () => {
      const violations: string[] = [];
      const calls = matrix(f);
      for (const p of principals) {
        const seen = new Set<Canary>();
        const caller: FeishuCaller = { base: s.url };
        // Attendee lists the caller may read, and what searches by attendee found: checked against each other at the end.
        const listsRead = new Set<string>();
        const probes: Array<{ where: string; via: string; user?: string; hits: string[] }> = [];
        for (const call of calls) {
          const mayWrite = call.writes !== undefined && (p.mayWrite.includes(call.writes)
            || (call.subscribe !== undefined && (p.subscribe ?? []).includes(call.subscribe)) || (call.reply !== undefined && (p.reply ?? []).includes(call.reply)));
          // Writes the caller may make would change the fixture under the rest of the matrix: not sent.
          if (call.writes !== undefined && mayWrite) continue;
          const before = call.writes ? await snapshot(s.server.ctx.store.db, kind) : undefined;
          const a = await feishu(caller, call.method, call.path, call.body, { authorization: p.auth });
          counts.requests++;
          const where = `${p.name} → ${call.label}`;
          if (a.status >= 500) violations.push(`${where}: HTTP ${a.status} ${a.text.slice(0, 200)}`);
          for (const canary of ALL) {
            if (!a.text.includes(C[canary])) continue;
            seen.add(canary);
            if (!p.mayRead.includes(canary)) violations.push(`${where}: leaks ${canary}: ${a.status} ${excerpt(a.text, C[canary])}`);
          }
          if (call.attendeeList && isFeishuOk(a)) listsRead.add(`${call.attendeeList.via}|${call.attendeeList.eventId}`);
          if (call.attendeeProbe && isFeishuOk(a)) {
            probes.push({ where, ...call.attendeeProbe, hits: ((a.json.data.items ?? []) as Array<{ event_id: string }>).map((i) => i.event_id) });
          }
          if (before) {
            if (isFeishuOk(a) || a.status < 400) violations.push(`${where}: a write it may not make answered ${a.status} ${a.text.slice(0, 200)}`);
            const changed = changedTables(before, await snapshot(s.server.ctx.store.db, kind));
            if (changed.length > 0) violations.push(`${where}: refused (${a.status}) yet changed ${changed.join(', ')}`);
            else counts.refusedWrites++;
          } else {
            counts.reads++;
          }
          const aboutAcme = /^(S|P|BOT)[:/]/.test(call.label) || call.label === 'calendar.primarys' || call.label.startsWith('freebusy');
          if (!p.member && (aboutAcme || p.invalidToken) && isFeishuOk(a)) {
            // Outside the tenant nothing about acme answers with success; with a bad token, nothing at all.
            violations.push(`${where}: answered ${a.status} code ${a.json?.code}`);
          }
          if (p.invalidToken && !(a.status === 400 && String(a.json?.code).startsWith('99991'))) {
            violations.push(`${where}: a bad token answered ${a.status} code ${a.json?.code}, not a 99991xxx token error`);
          }
        }
        for (const canary of p.mustSee) if (!seen.has(canary)) violations.push(`${p.name}: never saw ${canary} (the control failed: the matrix does not reach it)`);
        for (const probe of probes) {
          counts.attendeeHits += probe.hits.length;
          // A search that names the caller may find the caller's own invitations.
          if (probe.user !== undefined && probe.user === p.user) continue;
          for (const hit of probe.hits) {
            if (!listsRead.has(`${probe.via}|${hit}`)) violations.push(`${probe.where}: finds ${hit} by its attendees, whose list this caller may not read from there`);
          }
        }
        if (p.name.startsWith('owner')) {
          const found = probes.find((x) => x.where.endsWith('S: events.search by user sunqi'))?.hits ?? [];
          if (!found.includes(f.events.PRIVS)) violations.push(`${p.name}: the search by attendee did not find PRIVS (the control failed)`);
        }
      }
      assert.deepEqual(violations, [], `${violations.length} isolation failures`);
    });

    test(`${kind}: DingTalk: another tenant's app, a user token acting as someone else, readers through the app`, async () => {
      const violations: string[] = [];
      const app = await dingtalkAppToken(s.url, 'dingacme', 'acme-secret');
      const globex = await dingtalkAppToken(s.url, 'dingglobex', 'globex-secret');
      const zhoubaUser = await sandboxToken(s.url, 'dingacme', 'zhouba');
      const base = (user: string, cal = 'primary') => `/calendar/users/${user}/calendars/${encodeURIComponent(cal)}`;
      const reads = (user: string) => [
        `${base(user)}/events?maxResults=100`, `${base(user, f.S)}/events?maxResults=100`, `${base(user, f.S)}/events/${f.events.PRIVS}`,
        `${base(user, f.S)}/events/${f.events.PRIVREC}/instances`, `${base(user, f.S)}/eventsview?timeMin=${encodeURIComponent(new Date((f.start - 86_400) * 1000).toISOString())}&timeMax=${encodeURIComponent(new Date((f.start + 7 * 86_400) * 1000).toISOString())}`,
        `${base(user, f.P)}/events/${f.events.PRIVP}`, `${base(user, f.P)}/events/${f.events.PRIVP}/attendees`, `/calendar/users/${user}/calendars`,
      ];
      // Through the app, each user of acme sees what that user sees in Feishu.
      const cases: Array<{ who: string; token: string; user: string; mayRead: readonly Canary[] }> = [
        { who: 'dingacme as lisi (reader)', token: app, user: 'on_lisi', mayRead: ['CALS', 'PUBS', 'CHAT'] },
        { who: 'dingacme as wangwu (free_busy_reader)', token: app, user: 'on_wangwu', mayRead: ['CALS', 'CHAT'] },
        { who: 'dingacme as sunqi (attendee)', token: app, user: 'on_sunqi', mayRead: ['PRIVS', 'PRIVP'] },
        { who: 'dingacme as zhouba', token: app, user: 'on_zhouba', mayRead: [] },
        { who: 'dingglobex acting as zhangsan', token: globex, user: 'on_zhangsan', mayRead: [] },
        { who: 'zhouba\'s user token acting as zhangsan', token: zhoubaUser, user: 'on_zhangsan', mayRead: [] },
      ];
      for (const c of cases) {
        for (const path of reads(c.user)) {
          const a = await dingtalk(s.url, c.token, 'GET', path);
          counts.requests++;
          if (a.status >= 500) violations.push(`${c.who} → ${path}: HTTP ${a.status}`);
          for (const canary of ALL) {
            if (a.text.includes(C[canary]) && !c.mayRead.includes(canary)) violations.push(`${c.who} → ${path}: leaks ${canary}: ${excerpt(a.text, C[canary])}`);
          }
        }
        if (c.user === 'on_zhangsan') {
          const before = await snapshot(s.server.ctx.store.db, kind);
          const writes = [
            dingtalk(s.url, c.token, 'PUT', `${base('on_zhangsan', f.S)}/events/${f.events.PRIVS}`, { id: f.events.PRIVS, summary: 'HACKED' }),
            dingtalk(s.url, c.token, 'DELETE', `${base('on_zhangsan', f.S)}/events/${f.events.PUBS}`),
            dingtalk(s.url, c.token, 'POST', `${base('on_zhangsan')}/events`, { summary: 'HACKED', start: { dateTime: '2030-01-01T09:00:00+08:00', timeZone: 'Asia/Shanghai' }, end: { dateTime: '2030-01-01T10:00:00+08:00', timeZone: 'Asia/Shanghai' } }),
          ];
          for (const a of await Promise.all(writes)) {
            counts.requests++;
            if (a.status < 400 || a.status >= 500) violations.push(`${c.who}: a write answered ${a.status} ${a.text.slice(0, 200)}`);
          }
          const changed = changedTables(before, await snapshot(s.server.ctx.store.db, kind));
          if (changed.length > 0) violations.push(`${c.who}: refused writes changed ${changed.join(', ')}`);
        }
      }
      assert.deepEqual(violations, [], `${violations.length} isolation failures`);
    });

    // Last: it changes the fixture (lisi loses her ACL on S).
    test(`${kind}: a reader whose ACL is deleted sees nothing more of the calendar, on any read`, async () => {
      const violations: string[] = [];
      const owner = principals[0];
      const lisi = principals.find((p) => p.user === 'lisi')!;
      const caller: FeishuCaller = { base: s.url };
      const call = (auth: string, method: string, path: string, body?: unknown) => feishu(caller, method, path, body, { authorization: auth });
      const S = `/calendar/v4/calendars/${encodeURIComponent(f.S)}`;
      assert.ok(isFeishuOk(await call(lisi.auth, 'POST', `${S}/subscribe`)));
      const listed = await call(lisi.auth, 'GET', '/calendar/v4/calendars?page_size=1000');
      assert.ok(listed.text.includes(C.CALS), 'control: the subscribed reader lists S with its summary');
      const syncToken = listed.json.data.sync_token as string;
      assert.ok(isFeishuOk(await call(owner.auth, 'DELETE', `${S}/acls/${f.aclLisi}`)));
      // The owner renames S afterwards: still the CALS class, which lisi may no longer read.
      assert.ok(isFeishuOk(await call(owner.auth, 'PATCH', S, { summary: `${C.CALS} renamed`, description: `${C.CALS} redescribed` })));
      const mayRead: readonly Canary[] = ['CHAT'];
      const seen = new Set<Canary>();
      const reads = [
        ...matrix(f).filter((c) => c.writes === undefined),
        { label: 'calendar.list sync', method: 'GET', path: `/calendar/v4/calendars?sync_token=${encodeURIComponent(syncToken)}` },
      ];
      for (const c of reads) {
        const a = await call(lisi.auth, c.method, c.path, c.body);
        counts.requests++;
        counts.revokedReads++;
        if (a.status >= 500) violations.push(`${c.label}: HTTP ${a.status}`);
        for (const canary of ALL) {
          if (!a.text.includes(C[canary])) continue;
          seen.add(canary);
          if (!mayRead.includes(canary)) violations.push(`revoked lisi → ${c.label}: leaks ${canary}: ${excerpt(a.text, C[canary])}`);
        }
      }
      if (!seen.has('CHAT')) violations.push('revoked lisi never saw CHAT (the control failed)');
      const app = await dingtalkAppToken(s.url, 'dingacme', 'acme-secret');
      for (const path of ['/calendar/users/on_lisi/calendars', `/calendar/users/on_lisi/calendars/${encodeURIComponent(f.S)}/events?maxResults=100`]) {
        const a = await dingtalk(s.url, app, 'GET', path);
        counts.requests++;
        counts.revokedReads++;
        for (const canary of ALL) if (a.text.includes(C[canary]) && !mayRead.includes(canary)) violations.push(`DingTalk as revoked lisi → ${path}: leaks ${canary}`);
      }
      assert.deepEqual(violations, [], `${violations.length} isolation failures`);
    });
  });
}

/** Shows where a canary appears in a response. */
function excerpt(text: string, canary: string): string {
  const i = text.indexOf(canary);
  return text.slice(Math.max(0, i - 120), i + 60);
}

/** Swaps the user id inside a token's claims and keeps its signature. */
function forgeClaims(token: string, userId: string): string {
  const [prefix, rest] = [token.slice(0, 2), token.slice(2)];
  const [body, signature] = rest.split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
  claims[3] = userId;
  return `${prefix}${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** Two deployments side by side in one PostgreSQL database, each in its schema (README: `?schema=`). */
describe('postgres: side-by-side deployments in one database', { skip: STORES.includes('postgres') ? false : 'RILI_TEST_STORES leaves out postgres' }, () => {
  test('postgres: a second rili starts on a fresh schema of a database that already holds one', async () => {
    const database = await privateDatabase('side');
    try {
      const first = await openStore(database.schema('first').location);
      await first.close();
      const second = await openStore(database.schema('second').location);
      await second.close();
    } finally {
      await database.drop();
    }
  });

  test('postgres: rili without ?schema= starts in a database where another schema holds a rili', {
  }, async () => {
    const database = await privateDatabase('side');
    try {
      const first = await openStore(database.schema('first').location);
      await first.close();
      // As a process of its own: a failed start leaves a pool open, which only the process's exit closes.
      const child = await startRiliChild({ db: database.url, port: await freePort(), secret: 'side-by-side' });
      await child.stop();
    } finally {
      await database.drop();
    }
  });
});
