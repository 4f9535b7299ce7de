/**
 * DingTalk's callback crypto (the "DingCallbackCrypto" scheme of its published samples): AES-256-CBC
 * with key = base64(aes_key + '='), IV = the key's first 16 bytes; plaintext = 16 random characters ‖
 * uint32 big-endian byte length ‖ message ‖ owner key (the app key for an internal app's event
 * subscription), padded PKCS#7 to 32-byte blocks; signature = hex SHA-1 of token, timestamp, nonce and
 * ciphertext sorted and concatenated.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const BLOCK = 32;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The aes_key is valid: 43 base64 characters, which decode (with '=') to 32 bytes. */
export function isAesKey(aesKey: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(aesKey) && Buffer.from(`${aesKey}=`, 'base64').length === 32;
}

function keyOf(aesKey: string): Buffer {
  const key = Buffer.from(`${aesKey}=`, 'base64');
  if (key.length !== 32) throw new Error('aes_key must be 43 base64 characters');
  return key;
}

const randomText = (n: number): string => [...randomBytes(n)].map((b) => LETTERS[b % LETTERS.length]).join('');

export function encrypt(message: string, aesKey: string, ownerKey: string): string {
  const key = keyOf(aesKey);
  const msg = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const plain = Buffer.concat([Buffer.from(randomText(16), 'latin1'), length, msg, Buffer.from(ownerKey, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
}

/** The message, or undefined when the text does not decrypt to one for this owner key. */
export function decrypt(encrypted: string, aesKey: string, ownerKey: string): string | undefined {
  try {
    const key = keyOf(aesKey);
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]);
    const pad = plain[plain.length - 1];
    if (pad < 1 || pad > BLOCK) return undefined;
    const body = plain.subarray(0, plain.length - pad);
    const length = body.readUInt32BE(16);
    if (20 + length > body.length) return undefined;
    if (body.subarray(20 + length).toString('utf8') !== ownerKey) return undefined;
    return body.subarray(20, 20 + length).toString('utf8');
  } catch {
    return undefined;
  }
}

export function signature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** One push as DingTalk sends it: the URL with `signature`/`msg_signature`, `timestamp`, `nonce`, and the `{"encrypt"}` body. */
export function dingtalkRequest(url: string, message: string, config: { token: string; aesKey: string; ownerKey: string }, atMs: number): { url: string; body: string; headers: Record<string, string> } {
  const encrypted = encrypt(message, config.aesKey, config.ownerKey);
  const timestamp = String(atMs);
  const nonce = randomText(8);
  const sig = signature(config.token, timestamp, nonce, encrypted);
  const target = new URL(url);
  target.searchParams.set('signature', sig);
  target.searchParams.set('msg_signature', sig);
  target.searchParams.set('timestamp', timestamp);
  target.searchParams.set('nonce', nonce);
  return { url: target.toString(), body: JSON.stringify({ encrypt: encrypted }), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

/**
 * Whether an HTTP answer is the receiver's encrypted, signed `success`:
 * `{"msg_signature","timeStamp","nonce","encrypt"}` (the samples' `getEncryptedMap("success")`).
 */
export function judgeDingtalkAnswer(status: number | undefined, text: string | undefined, config: { token: string; aesKey: string; ownerKey: string }): { ok: boolean; note?: string } {
  if (status === undefined) return { ok: false };
  if (status !== 200) return { ok: false, note: `HTTP ${status}` };
  let reply: Record<string, unknown>;
  try {
    reply = JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    return { ok: false, note: 'the answer is not the encrypted "success" JSON' };
  }
  const { msg_signature: sig, timeStamp, nonce, encrypt: encrypted } = reply;
  if (typeof sig !== 'string' || typeof timeStamp !== 'string' || typeof nonce !== 'string' || typeof encrypted !== 'string') {
    return { ok: false, note: 'the answer lacks msg_signature, timeStamp, nonce or encrypt' };
  }
  if (signature(config.token, timeStamp, nonce, encrypted) !== sig) return { ok: false, note: 'the answer\'s msg_signature does not match (wrong token?)' };
  const plain = decrypt(encrypted, config.aesKey, config.ownerKey);
  if (plain === undefined) return { ok: false, note: 'the answer does not decrypt with the app\'s aes_key and app key' };
  return plain === 'success' ? { ok: true } : { ok: false, note: `the answer decrypts to ${JSON.stringify(plain.slice(0, 100))}, not "success"` };
}
