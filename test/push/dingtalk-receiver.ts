/**
 * A DingTalk event-subscription receiver written from the published DingCallbackCrypto algorithm
 * (open-dingtalk's DingCallbackCrypto.java / DingCallbackCrypto3.py), not from rili's code: it checks
 * the query's signature, decrypts the `{"encrypt"}` body, checks the owner key, and answers the
 * encrypted `success` map (`msg_signature`, `timeStamp`, `nonce`, `encrypt`).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DingtalkMessage = Record<string, any> & { EventType: string };

/** How the receiver answers: right, with a plain (wrong) `success`, or not at all. */
export type Answer = 'success' | 'plain' | 'hang';

export class DingtalkReceiver {
  readonly received: DingtalkMessage[] = [];
  /** Requests whose signature or owner key did not check. */
  readonly rejected: string[] = [];
  answer: Answer = 'success';
  private waiters: Array<() => void> = [];
  private readonly key: Buffer;
  private server: Server | undefined;
  url = '';

  constructor(readonly token: string, readonly aesKey: string, readonly ownerKey: string) {
    this.key = Buffer.from(`${aesKey}=`, 'base64');
  }

  /** Listens on loopback (on `port` to come back where it was). */
  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => { raw += c.toString(); });
      req.on('end', () => {
        const q = new URL(req.url ?? '/', 'http://x').searchParams;
        const encrypted = (JSON.parse(raw) as { encrypt: string }).encrypt;
        const sig = this.sign(q.get('timestamp') ?? '', q.get('nonce') ?? '', encrypted);
        const plain = sig === q.get('signature') && sig === q.get('msg_signature') ? this.decrypt(encrypted) : undefined;
        if (plain === undefined) {
          this.rejected.push(raw);
          res.writeHead(400).end('bad signature');
          return;
        }
        const message = JSON.parse(plain) as DingtalkMessage;
        if (this.answer === 'hang') return;
        if (message.EventType !== 'check_url') {
          this.received.push(message);
          for (const w of this.waiters.splice(0)) w();
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(this.answer === 'plain' ? '{"success":true}' : JSON.stringify(this.encryptedMap('success')));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dingtalk/callback`;
    return this;
  }

  private sign(timestamp: string, nonce: string, encrypted: string): string {
    return createHash('sha1').update([this.token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
  }

  private decrypt(encrypted: string): string | undefined {
    const d = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    d.setAutoPadding(false);
    const out = Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]);
    const pad = out[out.length - 1];
    if (pad < 1 || pad > 32) return undefined;
    const content = out.subarray(16, out.length - pad);
    const length = content.readUInt32BE(0);
    if (content.subarray(4 + length).toString() !== this.ownerKey) return undefined;
    return content.subarray(4, 4 + length).toString();
  }

  private encryptedMap(text: string): Record<string, string> {
    const msg = Buffer.from(text);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(msg.length, 0);
    const random = randomBytes(8).toString('hex');
    const full = Buffer.concat([Buffer.from(random), len, msg, Buffer.from(this.ownerKey)]);
    const pad = 32 - (full.length % 32);
    const c = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    c.setAutoPadding(false);
    const encrypt = Buffer.concat([c.update(Buffer.concat([full, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
    const timeStamp = String(Date.now());
    const nonce = randomBytes(6).toString('hex');
    return { msg_signature: this.sign(timeStamp, nonce, encrypt), timeStamp, nonce, encrypt };
  }

  /** Waits until `count` messages arrived (up to `ms`), then hands all of them over and forgets them. */
  async take(count: number, ms = 10_000): Promise<DingtalkMessage[]> {
    const deadline = performance.now() + ms;
    while (this.received.length < count && performance.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - performance.now()));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
    return this.received.splice(0);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** A valid aes_key: 43 base64 characters (32 bytes). */
export const newAesKey = (): string => randomBytes(32).toString('base64').slice(0, 43);
