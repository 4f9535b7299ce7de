import fc from 'fast-check';

/**
 * What a hostile or careless client sends: values for each place of a request, chosen by the field's
 * JSON schema (type, enum, bounds) and by its name (a time zone, an RRULE, a page token...), mostly
 * plausible so requests get past validation into the handlers, often hostile, sometimes of the wrong type.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Strings that have broken servers: empty, huge, NUL and other controls, lone surrogates, bidi, SQL and LIKE metacharacters. */
export const HOSTILE_STRINGS: readonly string[] = [
  '', ' ', '\u0000', 'a\u0000b', '\u0001\u0002\u001f\u007f', '\r\n\t', '\ud800', '\udfff', 'x\ud83d', '\u202e\u2066', '\ufeff', '\uffff',
  '%', '_', '%_%', '\\', "'", '"', "' or 1=1 --", '"; drop table events; --', '${x}', '{{x}}', '<script>', '../../etc/passwd',
  'x'.repeat(256), 'x'.repeat(4097), '长'.repeat(1001), '😀'.repeat(600), 'a'.repeat(100_000),
  '-1', '0', '1e309', 'NaN', 'Infinity', '9'.repeat(40), '0x10', '1.5', ' 1', '+1', 'true', 'null', '[]', '{}',
];

export const HOSTILE_NUMBERS: readonly number[] = [0, -0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, -(2 ** 53) - 2, 1e308, -1e308, 1.5, -0.000001, 5e-324];

/** Values of the wrong JSON type for anything. */
const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, -1, 1e308, 'x', '', [], {}, [[[]]], { a: { b: {} } }, [null], { '': null }];

export const TIME_ZONES: readonly string[] = [
  'Asia/Shanghai', 'UTC', 'America/New_York', 'Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Kathmandu',
  'Mars/Olympus_Mons', 'UTC+8', '+08:00', 'GMT+0800', 'asia/shanghai', 'Asia/Shanghai\u0000', 'EST5EDT', 'Local', 'Z', '', ' ',
  'America/Argentina/ComodRivadavia', 'Asia/Pyongyang', 'x'.repeat(64),
  '../../../../etc/localtime', // stands-alone: a hostile zone name, never opened as a path
];

export const RRULES: readonly string[] = [
  'FREQ=DAILY;COUNT=5', 'FREQ=WEEKLY;BYDAY=MO,WE,FR;INTERVAL=2', 'FREQ=MONTHLY;BYMONTHDAY=31', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
  'FREQ=DAILY;UNTIL=20260301T000000Z', 'FREQ=SECONDLY;COUNT=1000000', 'FREQ=MINUTELY', 'FREQ=HOURLY;INTERVAL=1',
  'FREQ=DAILY;INTERVAL=0', 'FREQ=DAILY;INTERVAL=-1', 'FREQ=DAILY;INTERVAL=99999999', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=1000', 'FREQ=MONTHLY;BYMONTHDAY=31;COUNT=5000', 'FREQ=DAILY;UNTIL=99991231T235959Z',
  'FREQ=DAILY;BYSETPOS=0', 'FREQ=WEEKLY;BYDAY=XX', 'FREQ=DAILY;COUNT=99999999999', 'FREQ=DAILY;COUNT=-3', 'RRULE:FREQ=DAILY;COUNT=2',
  'FREQ=DAILY;;;', 'FREQ=DAILY;COUNT=1;COUNT=2', 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=25', 'FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO',
  'FREQ=YEARLY;BYYEARDAY=366', 'FREQ=YEARLY;BYYEARDAY=-366;BYMONTH=2', 'FREQ=DAILY;BYMONTH=13', 'FREQ=MONTHLY;BYDAY=5FR;COUNT=5000',
  'FREQ=MONTHLY;BYDAY=-5MO,5MO;BYSETPOS=1,-1', 'FREQ=DAILY;WKST=XX', 'FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;BYDAY=MO',
  `FREQ=HOURLY;BYMINUTE=${Array.from({ length: 60 }, (_, i) => i).join(',')};BYSECOND=${Array.from({ length: 60 }, (_, i) => i).join(',')}`,
  'FREQ=DAILY;UNTIL=2026', 'FREQ=DAILY;UNTIL=20260230T000000Z', 'FREQ=WEEKLY;BYDAY=MO;UNTIL=19700101T000000Z', 'FREQ=DAILY\nFREQ=WEEKLY',
  'EXDATE:20260101T000000Z', 'FREQ=DAILY;X-NAME=1', 'freq=daily;count=2', 'FREQ=YEARLY;BYEASTER=0',
];

/** Epoch seconds as strings (Feishu times and windows). */
const EPOCHS: readonly string[] = ['1767225600', '1767229200', '1767312000', '1', '0', '-1', '16725225600', '16725225601', '999999999999', '1767225600.5', '1e10', '0001767225600', ' 1767225600'];
const DATES: readonly string[] = ['2026-01-01', '2026-01-02', '2026-02-29', '2024-02-29', '2026-02-30', '0000-01-01', '2500-01-01', '2500-01-02', '9999-12-31', '2026-13-01', '2026-1-1', '20260101', '2026-01-01T00:00:00Z'];
const DATE_TIMES: readonly string[] = [
  '2026-01-01T09:00:00+08:00', '2026-01-01T10:00:00+08:00', '2026-01-02T00:00:00Z', '2026-01-01T09:00:00', '2026-01-01T09:00:00.123456789+08:00',
  '2026-13-45T99:99:99Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '2026-03-08T02:30:00-05:00', '2026-01-01', 'yesterday',
];

const USER_IDS: readonly string[] = ['zhangsan', 'lisi', 'ou_zhangsan', 'ou_lisi', 'on_zhangsan', 'on_wangwu', 'hank', 'ou_hank', 'on_hank', 'nobody'];

/** Page and sync tokens: ours of every kind, with positions of every wrong shape. */
export const PAGE_TOKENS: readonly string[] = (() => {
  const kinds = ['calendar-page', 'calendar-sync', 'calendar-search', 'acl-page', 'event-page', 'event-sync', 'event-search', 'instances', 'attendee-page', 'chat-member-page', 'event-list', 'event-view', 'attendees'];
  const positions: unknown[] = [
    0, -1, 2 ** 53 + 2, 1e308, 1.5, 'x', '', {}, [], [1], null, true,
    { after: 'x', seq: 1 }, { after: { $gt: '' }, seq: 'x' }, { since: -5 }, { start: 'x', eventId: 1 },
    { p: 'page', after: { a: 1 }, seq: [1] }, { p: 'since', since: 'abc', all: 'yes' }, { p: 'inst', after: 'x' }, { p: 'page' }, { s: 'x', id: {} }, { s: 1e308, id: null },
  ];
  const out: string[] = ['', 'x', '!!!', 'eyJ2IjoxfQ', b64({ v: 2, k: 'event-page', p: 1 }), b64('x'), 'a'.repeat(5000)];
  for (const k of kinds) for (const p of positions) out.push(b64({ v: 1, k, p }));
  return out;
})();

/** Places in a request that values are chosen for; name-specific pools, by the field's path. */
export interface Pools {
  calendarIds: readonly string[];
  eventIds: readonly string[];
  attendeeIds: readonly string[];
  aclIds: readonly string[];
}

/** Plausible values for a field, by its name; undefined when the name says nothing. */
function plausible(path: string, pools: Pools): readonly unknown[] | undefined {
  const name = path.slice(path.lastIndexOf('.') + 1);
  if (/^(timestamp|start_time|end_time|anchor_time)$/.test(name)) return EPOCHS;
  if (/date$/i.test(name) || name === 'endDate') return DATES;
  if (/^(timezone|timeZone)$/.test(name)) return TIME_ZONES;
  if (name === 'recurrence') return RRULES;
  if (/^(dateTime|time_min|time_max|timeMin|timeMax)$/.test(name)) return DATE_TIMES;
  if (/^(user_id|user_ids|open_id|union_id|operate_id|owner_id|assign_hosts|id|userId|userIds)$/.test(name)) return USER_IDS;
  if (/^(chat_id|chat_ids)$/.test(name)) return ['oc_team', 'oc_nope', ''];
  if (/^(room_id|room_ids|meetingRooms)$/.test(name)) return ['omm_room1', 'omm_room2', 'omm_nope'];
  if (/email/.test(name)) return ['guest@example.com', 'GUEST@EXAMPLE.COM', 'not-an-email', '@', 'a@b', `${'x'.repeat(300)}@example.com`];
  if (/^(calendar_id|calendar_ids|calendarId)$/.test(name)) return pools.calendarIds;
  if (/^(event_id|eventId|seriesMasterId)$/.test(name)) return pools.eventIds;
  if (/^(attendee_id|attendee_ids)$/.test(name)) return pools.attendeeIds;
  if (name === 'acl_id') return pools.aclIds;
  if (/token$/i.test(name) && name !== 'file_token') return PAGE_TOKENS;
  if (name === 'file_token') return ['boxacme_small', 'boxacme_big', 'boxglobex_file', 'box_nope'];
  if (/^(app_id|appKey)$/.test(name)) return ['cli_acme', 'cli_globex', 'dingacme', 'nope'];
  if (/^(app_secret|appSecret)$/.test(name)) return ['acme-secret', 'wrong'];
  if (name === 'query') return ['', 'setup', '周会', '%', '_', "'", 'x'.repeat(61), 'x'.repeat(201)];
  if (/^(page_size|maxResults|maxAttendees)$/.test(name)) return [-1, 0, 1, 9, 10, 50, 100, 101, 500, 1000, 1001, 2 ** 31, 1e20];
  if (name === 'type' && path.includes('pattern')) return ['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly', 'hourly', ''];
  if (name === 'type' && path.includes('range')) return ['endDate', 'noEnd', 'numbered', 'forever', ''];
  if (name === 'daysOfWeek') return ['monday', 'monday,friday', 'sunday,monday,tuesday,wednesday,thursday,friday,saturday', 'funday', ''];
  if (name === 'index') return ['first', 'second', 'last', 'fifth', 'zeroth'];
  if (name === 'responseStatus') return ['accepted', 'declined', 'tentative', 'needsAction', 'maybe'];
  if (name === 'rsvp_status') return ['accept', 'decline', 'tentative', 'removed', 'needs_action'];
  if (name === 'role') return ['owner', 'writer', 'reader', 'free_busy_reader', 'unknown', 'god'];
  if (name === 'permissions') return ['private', 'show_only_free_busy', 'public', 'everyone'];
  if (name === 'color') return [-1, 0, 0xffffff, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1];
  if (name === 'minutes') return [0, 5, -20160, 20160, 20161, -20161, 40320, 40321, 1e9];
  if (name === 'duration') return [0, 5, 15, 30, 60, 45, -5, 1e9];
  return undefined;
}

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

/** An arbitrary value for a JSON schema node at `path`; `depth` bounds recursion. */
export function valueOf(schema: any, path: string, pools: Pools, depth = 0): fc.Arbitrary<unknown> {
  const wrong = pick(WRONG_TYPES);
  const named = plausible(path, pools);
  let valid: fc.Arbitrary<unknown>;
  let hostile: fc.Arbitrary<unknown>;
  if (Array.isArray(schema?.enum)) {
    valid = pick(schema.enum as unknown[]);
    hostile = pick(['', 'UNKNOWN', String(schema.enum[0]).toUpperCase(), `${String(schema.enum[0])} `, '\u0000']);
  } else if (schema?.type === 'string') {
    valid = named ? pick(named) : fc.string({ maxLength: 24 });
    hostile = fc.oneof(pick(HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 40 }));
  } else if (schema?.type === 'integer' || schema?.type === 'number') {
    const min = Math.max(schema.minimum ?? -1_000_000, -1_000_000);
    const max = Math.min(schema.maximum ?? 1_000_000, 1_000_000);
    valid = named ? pick(named) : fc.integer({ min, max });
    hostile = pick(HOSTILE_NUMBERS);
  } else if (schema?.type === 'boolean') {
    valid = fc.boolean();
    hostile = pick(['true', 'false', 1, 0]);
  } else if (schema?.type === 'array') {
    const item = depth > 4 ? fc.constant(null) : valueOf(schema.items ?? {}, path, pools, depth + 1);
    valid = fc.array(item, { maxLength: 4 });
    hostile = fc.oneof(fc.array(item, { minLength: 101, maxLength: 120 }), fc.constant(Array.from({ length: 600 }, () => null)));
  } else if (schema?.type === 'object' || schema?.properties) {
    valid = depth > 4 ? fc.constant({}) : objectOf(schema, path, pools, depth);
    hostile = fc.constantFrom({ __proto__: { polluted: true } }, JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { polluted: true } } });
  } else {
    valid = named ? pick(named) : fc.jsonValue({ maxDepth: 2 });
    hostile = pick(HOSTILE_STRINGS);
  }
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 3, arbitrary: hostile }, { weight: 1, arbitrary: wrong });
}

/** An object of a schema's properties: required ones usually there, others now and then, plus strangers. */
export function objectOf(schema: any, path: string, pools: Pools, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema?.properties ?? {}) as Record<string, unknown>;
  const required = new Set<string>(schema?.required ?? []);
  const entries = Object.entries(properties).map(([key, sub]) => {
    const value = valueOf(sub, path ? `${path}.${key}` : key, pools, depth + 1);
    const presence = required.has(key) ? 0.9 : 0.4;
    return fc.tuple(fc.constant(key), fc.double({ min: 0, max: 1, noNaN: true }), value).map(([k, roll, v]) => (roll < presence ? [k, v] as const : undefined));
  });
  const extras = fc.option(fc.tuple(pick(['unknown_field', '__proto__', 'constructor', '', 'a'.repeat(1000)]), pick(WRONG_TYPES)), { freq: 5 });
  return fc.tuple(fc.tuple(...entries), extras).map(([pairs, extra]) => {
    const out: Record<string, unknown> = {};
    for (const pair of pairs) if (pair) Object.defineProperty(out, pair[0], { value: pair[1], enumerable: true, writable: true, configurable: true });
    if (extra) Object.defineProperty(out, extra[0], { value: extra[1], enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/** Whole request bodies that are not what JSON or the schema allow, as raw bytes. */
export const RAW_BODIES: ReadonlyArray<{ readonly name: string; readonly bytes: Buffer }> = [
  { name: 'truncated JSON', bytes: Buffer.from('{"summary": "x", "start_time": {') },
  { name: 'single quotes', bytes: Buffer.from("{'summary': 'x'}") },
  { name: 'trailing comma', bytes: Buffer.from('{"summary": "x",}') },
  { name: 'empty body', bytes: Buffer.alloc(0) },
  { name: 'whitespace only', bytes: Buffer.from('  \n\t ') },
  { name: 'JSON null', bytes: Buffer.from('null') },
  { name: 'JSON array', bytes: Buffer.from('[{"summary":"x"}]') },
  { name: 'JSON string', bytes: Buffer.from('"summary"') },
  { name: 'JSON number', bytes: Buffer.from('1e999') },
  { name: 'NaN literal', bytes: Buffer.from('{"color": NaN}') },
  { name: 'huge exponent', bytes: Buffer.from('{"color": 1e999, "page_size": -1e999}') },
  { name: 'BOM then JSON', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"summary":"x"}')]) },
  { name: 'invalid UTF-8', bytes: Buffer.concat([Buffer.from('{"summary":"'), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80]), Buffer.from('"}')]) },
  { name: 'overlong UTF-8 NUL', bytes: Buffer.concat([Buffer.from('{"summary":"'), Buffer.from([0xc0, 0x80]), Buffer.from('"}')]) },
  { name: 'raw control characters in a string', bytes: Buffer.from('{"summary":"a\u0001\u0000\u001fb"}') },
  { name: 'escaped NUL in every string', bytes: Buffer.from('{"summary":"\\u0000","description":"\\u0000","location":{"name":"\\u0000"},"recurrence":"\\u0000","source":"\\u0000"}') },
  { name: 'escaped NUL in a summary, times valid', bytes: Buffer.from('{"summary":"a\\u0000b","description":"\\u0000","start_time":{"timestamp":"1767225600"},"end_time":{"timestamp":"1767229200"}}') },
  { name: 'escaped NUL in DingTalk fields, times valid', bytes: Buffer.from('{"summary":"a\\u0000b","start":{"dateTime":"2026-01-01T09:00:00+08:00","timeZone":"Asia/Shanghai"},"end":{"dateTime":"2026-01-01T10:00:00+08:00","timeZone":"Asia/Shanghai"},"attendees":[{"email":"a\\u0000@example.com"}]}') },
  { name: 'DingTalk event inviting an address that is not one', bytes: Buffer.from('{"summary":"x","start":{"dateTime":"2026-01-01T09:00:00+08:00","timeZone":"Asia/Shanghai"},"end":{"dateTime":"2026-01-01T10:00:00+08:00","timeZone":"Asia/Shanghai"},"attendees":[{"email":"not-an-email"}]}') },
  { name: 'lone surrogate escapes', bytes: Buffer.from('{"summary":"\\ud800","description":"\\udfff x \\ud83d"}') },
  { name: 'duplicate keys', bytes: Buffer.from('{"summary":"a","summary":5,"summary":null}') },
  { name: '__proto__ key', bytes: Buffer.from('{"__proto__":{"isAdmin":true},"summary":"x"}') },
  { name: 'constructor.prototype key', bytes: Buffer.from('{"constructor":{"prototype":{"isAdmin":true}}}') },
  { name: 'deep nesting of arrays (100 000)', bytes: Buffer.from(`{"summary":"x","extra_field":${'['.repeat(100_000)}${']'.repeat(100_000)}}`) },
  { name: 'deep nesting of objects (50 000)', bytes: Buffer.from(`{"summary":"x","extra_field":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`) },
  { name: 'deep nesting at the top (100 000)', bytes: Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) },
  { name: 'an object of 200 000 keys', bytes: Buffer.from(`{${Array.from({ length: 200_000 }, (_, i) => `"k${i}":0`).join(',')}}`) },
  { name: 'a long array of long strings', bytes: Buffer.from(JSON.stringify({ attendees: Array.from({ length: 5000 }, (_, i) => ({ type: 'third_party', third_party_email: `g${i}@example.com` })) })) },
];
