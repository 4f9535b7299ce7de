/**
 * Feishu's push crypto, as the node SDK undoes it: with an Encrypt Key the body is
 * `{"encrypt": base64(iv ‖ AES-256-CBC(sha256(key), iv, body))}`, signed in `X-Lark-Signature` =
 * hex sha256(timestamp + nonce + key + body). Without a key the body goes as it is, unsigned.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';

export function encryptBody(plain: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** The request one attempt sends: its body and headers. */
export function signedRequest(plain: string, encryptKey: string | undefined, atMs: number): { body: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (!encryptKey) return { body: plain, headers };
  const body = JSON.stringify({ encrypt: encryptBody(plain, encryptKey) });
  const timestamp = String(Math.floor(atMs / 1000));
  const nonce = randomBytes(8).toString('hex');
  const signature = createHash('sha256').update(timestamp + nonce + encryptKey + body).digest('hex');
  return {
    body,
    headers: { ...headers, 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature },
  };
}
