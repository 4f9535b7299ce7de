import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as lark from '@larksuiteoapi/node-sdk';
import { STORES } from '../../../../../helpers/stores.js';
import { feishuFailure, startServer } from '../../../../../helpers/server.js';
import type { TestServer } from '../../../../../helpers/server.js';

const FILE_TOKEN = /^boxcn[0-9A-Za-z]{22}$/;

for (const kind of STORES) {
  describe(`${kind}: drive.v1.media.uploadAll`, () => {
    let s: TestServer;
    let client: lark.Client;
    let zhangsan: string;
    let dir: string;
    before(async () => {
      s = await startServer(kind);
      client = s.lark();
      zhangsan = await s.userToken('zhangsan');
      dir = await mkdtemp(join(tmpdir(), 'rili-upload-'));
    });
    after(async () => {
      await s.close();
      await rm(dir, { recursive: true, force: true });
    });

    const upload = (data: Record<string, unknown>, token: string | undefined = zhangsan) =>
      client.drive.v1.media.uploadAll({ data: data as any }, ...(token ? [lark.withUserAccessToken(token)] : []));
    const stored = (token: string) => s.server.ctx.store.read((r) => r.directory.fileInAnyTenant(token));
    const fileCount = async () => Number((await s.server.ctx.store.db.selectFrom('files').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    test('a Buffer upload returns a file token that an event can attach (file_size is a string)', async () => {
      const bytes = Buffer.from('hello, calendar');
      const res = await upload({ file_name: 'notes.txt', parent_type: 'calendar', parent_node: 'primary', size: bytes.length, file: bytes });
      assert.match(res!.file_token!, FILE_TOKEN);
      assert.deepEqual(await stored(res!.file_token!), { fileToken: res!.file_token, tenantKey: 'acme', name: 'notes.txt', size: bytes.length });

      const created = await client.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { summary: 'With notes', start_time: { timestamp: '1767225600' }, end_time: { timestamp: '1767229200' }, attachments: [{ file_token: res!.file_token! }] },
      }, lark.withUserAccessToken(zhangsan));
      assert.equal(created.code, 0);
      assert.deepEqual(created.data!.event!.attachments, [{ file_token: res!.file_token, file_size: String(bytes.length), is_deleted: false, name: 'notes.txt' }]);
    });

    test('a ReadStream upload (with a tenant token) stores the size received', async () => {
      const path = join(dir, 'agenda.pdf');
      const bytes = Buffer.alloc(300_000, 7);
      await writeFile(path, bytes);
      const res = await upload({ file_name: '议程.pdf', parent_type: 'calendar', parent_node: 'x', size: bytes.length, file: createReadStream(path) }, undefined);
      assert.deepEqual(await stored(res!.file_token!), { fileToken: res!.file_token, tenantKey: 'acme', name: '议程.pdf', size: 300_000 });
      // Another tenant cannot attach it.
      const globex = s.lark('cli_globex');
      const theirs = await feishuFailure(globex.calendar.v4.calendarEvent.create({
        path: { calendar_id: 'primary' },
        data: { start_time: { timestamp: '1767225600' }, end_time: { timestamp: '1767229200' }, attachments: [{ file_token: res!.file_token! }] },
      }));
      assert.deepEqual([theirs.status, theirs.code], [400, 193107]);
    });

    test('refusals: other parent types, size mismatch, missing parts, no token, over 25 MB; nothing is stored', async () => {
      const bytes = Buffer.from('abc');
      const base = { file_name: 'a.txt', parent_type: 'calendar', parent_node: 'primary', size: 3, file: bytes };
      const rows: Array<[string, Record<string, unknown>, string]> = [
        ['doc image', { ...base, parent_type: 'doc_image' }, 'parent_type'],
        ['size mismatch', { ...base, size: 4 }, 'size'],
        ['size not a number', { ...base, size: 'three' }, 'size'],
        ['no file name', { parent_type: 'calendar', parent_node: 'primary', size: 3, file: bytes }, 'file_name'],
        ['no parent node', { file_name: 'a.txt', parent_type: 'calendar', size: 3, file: bytes }, 'parent_node'],
        ['no file', { file_name: 'a.txt', parent_type: 'calendar', parent_node: 'primary', size: 3 }, 'file'],
        ['file name too long', { ...base, file_name: `${'x'.repeat(251)}` }, 'file_name'],
      ];
      const before = await fileCount();
      for (const [name, data, field] of rows) {
        const res = await feishuFailure(upload(data));
        assert.deepEqual([res.status, res.code, res.body.error?.field_violations?.[0]?.field], [400, 190002, field], name);
      }
      const big = Buffer.alloc(25 * 1024 * 1024 + 1);
      const tooBig = await feishuFailure(upload({ ...base, size: big.length, file: big }));
      assert.deepEqual([tooBig.status, tooBig.code], [413, 190002]);
      const noToken = await fetch(`${s.url}/open-apis/drive/v1/medias/upload_all`, { method: 'POST', body: new FormData() });
      assert.deepEqual([noToken.status, ((await noToken.json()) as { code: number }).code], [400, 99991661]);
      const json = await fetch(`${s.url}/open-apis/drive/v1/medias/upload_all`, {
        method: 'POST', headers: { authorization: `Bearer ${zhangsan}`, 'content-type': 'application/json' }, body: '{"file_name":"a"}',
      });
      assert.deepEqual([json.status, ((await json.json()) as { code: number }).code], [400, 190002]);
      // Bodies the multipart parser cannot read, and two files, are 400 too, never 500.
      const boundary = 'multipart/form-data; boundary=XX';
      const part = (name: string, file = '') => `--XX\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\nabc\r\n`;
      for (const [contentType, body] of [
        ['multipart/form-data', 'garbage'],
        [boundary, 'garbage'],
        [boundary, '--XX\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc'],
        [boundary, `${part('file', '; filename="a"')}${part('file', '; filename="b"')}--XX--\r\n`],
      ]) {
        const res = await fetch(`${s.url}/open-apis/drive/v1/medias/upload_all`, {
          method: 'POST', headers: { authorization: `Bearer ${zhangsan}`, 'content-type': contentType }, body,
        });
        assert.deepEqual([res.status, ((await res.json()) as { code: number }).code], [400, 190002], body);
      }
      assert.equal(await fileCount(), before);
      // Exactly 25 MB is accepted.
      const limit = Buffer.alloc(25 * 1024 * 1024);
      assert.match((await upload({ ...base, size: limit.length, file: limit }))!.file_token!, FILE_TOKEN);
      assert.equal(await fileCount(), before + 1);
    });
  });
}
