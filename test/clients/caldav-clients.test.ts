/**
 * Real CalDAV clients from Debian against a running rili: python3-caldav (discover, create, query a
 * range, update with ETag, delete, sync) and vdirsyncer syncing both ways with a folder that khal
 * lists. Each skips, saying why, when its package is not installed
 * (`apt-get install -y python3-caldav vdirsyncer khal`).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { dingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import type { DingtalkFixture } from '../api/dingtalk/calendar/fixtures.js';
import { davFor } from '../api/caldav/helpers.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const hasPythonCaldav = spawnSync(PYTHON, ['-c', 'import caldav'], { stdio: 'ignore' }).status === 0;
const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const SCRIPT = new URL('./caldav_client.py', import.meta.url).pathname;

describe('sqlite: Debian CalDAV clients against rili', () => {
  let f: DingtalkFixture;
  let dav: Awaited<ReturnType<typeof davFor>>;
  let dir: string;
  before(async () => {
    f = await dingtalkFixture('sqlite');
    dav = await davFor(f, 'zhangsan', 'clients');
    dir = mkdtempSync(join(tmpdir(), 'rili-caldav-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await f.close();
  });

  test('python3-caldav: discover, create, query a range, update with ETag, delete, sync', { skip: hasPythonCaldav ? false : 'python3-caldav is not installed (apt-get install -y python3-caldav)' }, async () => {
    const { stdout } = await run(PYTHON, [SCRIPT, dav.base, dav.user, dav.password, dav.primary], { timeout: 60_000 });
    const steps = stdout.split('\n').filter((l) => l.startsWith('OK ')).map((l) => l.slice(3).split(' ')[0]);
    assert.deepEqual(steps, ['discover', 'sync', 'create', 'query', 'event_by_uid', 'update', 'sync', 'delete'], stdout);
  });

  test('vdirsyncer syncs both ways with a folder that khal lists', { skip: has('vdirsyncer') && has('khal') ? false : 'vdirsyncer or khal is not installed (apt-get install -y vdirsyncer khal)' }, async () => {
    const made = await dav.client.calendar.v4.calendarEvent.create({
      path: { calendar_id: dav.primary },
      data: { summary: 'made in feishu for khal', start_time: { timestamp: String(Date.UTC(2030, 4, 6, 9) / 1000), timezone: 'UTC' }, end_time: { timestamp: String(Date.UTC(2030, 4, 6, 10) / 1000), timezone: 'UTC' } },
    }, dav.as);
    assert.equal(made.code, 0, made.msg);
    const conf = join(dir, 'vdirsyncer.conf');
    writeFileSync(conf, [
      '[general]', `status_path = "${dir}/status/"`, '',
      '[pair rili]', 'a = "rili_local"', 'b = "rili_remote"', 'collections = ["from b"]', '',
      '[storage rili_local]', 'type = "filesystem"', `path = "${dir}/cals/"`, 'fileext = ".ics"', '',
      '[storage rili_remote]', 'type = "caldav"', `url = "${dav.base}"`, `username = "${dav.user}"`, `password = "${dav.password}"`, '',
    ].join('\n'));
    const env = { ...process.env, HOME: dir, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };
    const vdir = (...args: string[]) => run('sh', ['-c', `yes | vdirsyncer -c '${conf}' ${args.join(' ')}`], { env, timeout: 120_000 });
    await vdir('discover', 'rili');
    await vdir('sync');
    const khalConf = join(dir, 'khal.conf');
    writeFileSync(khalConf, [
      '[calendars]', '[[rili]]', `path = ${dir}/cals/*`, 'type = discover', '',
      '[locale]', 'timeformat = %H:%M', 'dateformat = %Y-%m-%d', 'longdateformat = %Y-%m-%d', 'datetimeformat = %Y-%m-%d %H:%M',
      'longdatetimeformat = %Y-%m-%d %H:%M', 'default_timezone = UTC', 'local_timezone = UTC', '',
    ].join('\n'));
    const khal = async () => (await run('khal', ['-c', khalConf, 'list', '2030-05-01', '30d'], { env, timeout: 60_000 })).stdout;
    assert.match(await khal(), /made in feishu for khal/);

    // Written in the folder, synced up, seen in Feishu.
    const uid = made.data!.event!.event_id.split('_')[0];
    const collection = readdirSync(join(dir, 'cals')).find((c) => readdirSync(join(dir, 'cals', c)).includes(`${uid}.ics`));
    assert.ok(collection, 'the primary calendar synced into a folder');
    writeFileSync(join(dir, 'cals', collection, 'local-1.ics'), [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'UID:local-1@example.test', 'DTSTAMP:20260101T000000Z',
      'DTSTART:20300507T090000Z', 'DTEND:20300507T100000Z', 'SUMMARY:made in the folder', 'END:VEVENT', 'END:VCALENDAR', '',
    ].join('\r\n'));
    await vdir('sync');
    const list = await dav.client.calendar.v4.calendarEvent.list({ path: { calendar_id: dav.primary }, params: { page_size: 500 } }, dav.as);
    assert.ok(list.data!.items!.some((e) => e.summary === 'made in the folder'), 'the folder\'s event reached Feishu');
    assert.match(await khal(), /made in the folder/);
  });
});
